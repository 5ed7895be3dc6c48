-- The avatar stage's fallback poll (every WORKER_INTERVAL; NOTIFY is only a wake-up hint): lets go of tasks whose
-- lease ran out (their holder died or was cut off: another worker takes them over and resumes from what is
-- stored), then says whether a task is waiting to be claimed — unless a provider has stopped the stage.
-- As for tokens (sql/claim/probe.sql), no lease is let go of while :graceSeconds > 0 or within :leaseSeconds of the
-- server's start: a live holder that could not renew while the database was away gets a lease period to do so, and
-- its task is not taken over (its paid image calls made again) meanwhile.
WITH expired AS (
    UPDATE avatar_tasks
       SET lease_id = NULL
     WHERE lease_id IS NOT NULL AND lease_expires_at < now()
       AND CAST(:graceSeconds AS double precision) <= 0
       AND now() >= pg_postmaster_start_time() + make_interval(secs => CAST(:leaseSeconds AS double precision))
 RETURNING task_key
)
SELECT q.status,
       (SELECT array_agg(e.task_key ORDER BY e.task_key) FROM expired e) AS expired
  FROM unnest(CAST(:statuses AS text[])) AS q(status)
 WHERE q.status = 'avatar'
   AND (EXISTS (SELECT 1 FROM expired)
        OR (EXISTS (SELECT 1 FROM avatar_tasks t
                     WHERE t.status IN ('pending', 'generating-data', 'data-generated', 'generating-images')
                       AND t.lease_id IS NULL AND t.next_attempt_at <= now())
            AND NOT EXISTS (SELECT 1 FROM system_state s
                             WHERE s.key = 'avatar.halt' AND (s.value ->> 'until')::timestamptz > now())))
