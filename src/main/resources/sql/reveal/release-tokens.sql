-- A reveal could not be made now (contract refused it, fees above the cap, node unreachable, transaction
-- failed): the tokens stay ready, the reason is kept, and they wait before the next try — longer after each
-- failure — so nothing busy-loops.
WITH released AS (
    UPDATE tokens_s0
       SET lease_owner = NULL, lease_expires_at = NULL, reveal_error = left(:error, 1000),
           reveal_attempts = reveal_attempts + 1,
           next_attempt_at = now() + make_interval(secs => least(:maxDelay, :delay * power(2, least(reveal_attempts, 20))))
     WHERE token_id = ANY (:tokenIds) AND status = 'ready'
 RETURNING token_id, reveal_attempts
)
INSERT INTO token_events (token_id, stage, event, detail)
SELECT token_id, 'reveal', 'waiting', jsonb_build_object('attempt', reveal_attempts, 'error', left(CAST(:error AS text), 1000))
  FROM released
