-- The fallback poll, one statement every POLL_INTERVAL_SECONDS for all token stages of this instance together
-- (NOTIFY is only a wake-up hint). It lets go of the tokens whose lease ran out (holder dead or cut off: the
-- token goes back to its queue, its attempt already counted), then names the queues among :statuses that have
-- a token ready to claim.
WITH expired AS (
    UPDATE tokens_s0
       SET status = glisk_queue_status(status), lease_id = NULL
     WHERE lease_owner IS NOT NULL AND lease_expires_at < now()
 RETURNING token_id, status
)
SELECT q.status,
       (SELECT array_agg(e.token_id ORDER BY e.token_id) FROM expired e WHERE e.status = q.status) AS expired
  FROM unnest(CAST(:statuses AS text[])) AS q(status)
 WHERE EXISTS (SELECT 1 FROM expired e WHERE e.status = q.status)
    OR EXISTS (SELECT 1 FROM tokens_s0 t
                WHERE t.status = q.status AND t.lease_owner IS NULL AND t.next_attempt_at <= now())
