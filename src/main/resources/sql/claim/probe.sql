-- The fallback poll of the token stages (NOTIFY is the wake-up path; this covers what it cannot): it lets go of
-- the tokens whose lease ran out (holder dead or cut off: the token goes back to its queue, its attempt already
-- counted), then says for each queue among :statuses whether a token can be claimed now and when the next one
-- can (a delayed token coming due, or a lease running out), so the next poll runs then and not before.
-- No lease is let go of while :graceSeconds > 0: the time this instance still needs to have had the database for a
-- whole lease period. A holder cannot renew while the database is away, so after an outage (or at start-up, not
-- knowing what came before) live holders get that period to renew their leases before any is taken for dead.
-- The server says the same of itself: nobody renewed anything while it was down, so none is let go of within a
-- lease period of its start, whatever an instance noticed of the restart.
WITH expired AS (
    UPDATE tokens_s0
       SET status = glisk_queue_status(status), lease_id = NULL
     WHERE lease_owner IS NOT NULL AND lease_expires_at < now()
       AND CAST(:graceSeconds AS double precision) <= 0
       AND now() >= pg_postmaster_start_time() + make_interval(secs => CAST(:leaseSeconds AS double precision))
 RETURNING token_id, status
)
SELECT q.status,
       (SELECT array_agg(e.token_id ORDER BY e.token_id) FROM expired e WHERE e.status = q.status) AS expired,
       EXISTS (SELECT 1 FROM expired e WHERE e.status = q.status)
           OR EXISTS (SELECT 1 FROM tokens_s0 t
                       WHERE t.status = q.status AND t.lease_owner IS NULL AND t.next_attempt_at <= now()) AS ready,
       least((SELECT min(t.next_attempt_at) FROM tokens_s0 t
               WHERE t.status = q.status AND t.lease_owner IS NULL AND t.next_attempt_at > now()),
             (SELECT greatest(min(t.lease_expires_at),
                             now() + make_interval(secs => CAST(:graceSeconds AS double precision)),
                             pg_postmaster_start_time() + make_interval(secs => CAST(:leaseSeconds AS double precision)))
                FROM tokens_s0 t
               WHERE t.lease_owner IS NOT NULL AND glisk_queue_status(t.status) = q.status
              HAVING count(*) > 0)) AS next_due
  FROM unnest(CAST(:statuses AS text[])) AS q(status)
