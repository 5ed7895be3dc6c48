-- Wake-ups for tokens that become claimable later as well as now, so that a stage never has to poll for them.
-- Payloads on glisk_queues:
--   '<status>'          a token was inserted into the queue: claim now
--   '<status>@<millis>' a free token of the queue may be claimed from this instant (epoch milliseconds, maybe
--                       already past): it entered the queue, was let go of with a delay (backoff, waiting for a
--                       provider) or retried by an operator

CREATE FUNCTION tokens_s0_notify_due() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    -- identical payloads of one transaction are delivered once: a batch released together wakes its stage once
    PERFORM pg_notify('glisk_queues', NEW.status || '@' || floor(extract(epoch FROM NEW.next_attempt_at) * 1000)::bigint);
    RETURN NULL;
END $$;

DROP TRIGGER tokens_s0_notify_update ON tokens_s0;
CREATE TRIGGER tokens_s0_notify_due AFTER UPDATE OF status, next_attempt_at, lease_id ON tokens_s0
    FOR EACH ROW WHEN (NEW.lease_id IS NULL AND NEW.status IN ('detected', 'uploading', 'ready')
                       AND (NEW.status IS DISTINCT FROM OLD.status OR NEW.next_attempt_at IS DISTINCT FROM OLD.next_attempt_at
                            OR OLD.lease_id IS NOT NULL))
    EXECUTE FUNCTION tokens_s0_notify_due();

-- The fallback poll asks when a queue's next token becomes due; only free tokens of queue statuses matter.
CREATE INDEX tokens_s0_due ON tokens_s0 (status, next_attempt_at)
    WHERE lease_owner IS NULL AND status IN ('detected', 'uploading', 'ready');
