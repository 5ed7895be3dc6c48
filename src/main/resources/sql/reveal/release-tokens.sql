-- A reveal could not be made now (contract refused it, fees above the cap, node refusing the transaction,
-- transaction failed): the tokens stay ready, the reason is kept, and they wait before the next try — :delay
-- seconds doubling per counted failure up to :maxDelay (a delay of 0 retries at once: a fresh nonce or fresh
-- fees will do) — so nothing busy-loops. A node that is down for everyone (:counted false) is not the tokens'
-- failure: they wait :delay seconds for it and their count stays. Tokens of a claimed batch are named by their leases
-- (:leaseIds), so a token claimed again since is left alone; tokens of a failed transaction (:leaseIds NULL)
-- are under no lease.
WITH released AS (
    UPDATE tokens_s0
       SET lease_id = NULL, reveal_error = left(:error, 1000),
           reveal_attempts = reveal_attempts + CASE WHEN :counted THEN 1 ELSE 0 END,
           next_attempt_at = now() + make_interval(secs => CASE WHEN :counted
                                                                 THEN least(:maxDelay, :delay * power(2, least(reveal_attempts, 20)))
                                                                 ELSE :delay END)
     WHERE token_id = ANY (:tokenIds) AND status = 'ready'
       AND CASE WHEN CAST(:leaseIds AS uuid[]) IS NULL THEN lease_id IS NULL ELSE lease_id = ANY (:leaseIds) END
 RETURNING token_id, reveal_attempts
)
INSERT INTO token_events (token_id, stage, event, detail)
SELECT token_id, 'reveal', 'waiting', jsonb_build_object('attempt', reveal_attempts, 'error', left(CAST(:error AS text), 1000))
  FROM released
