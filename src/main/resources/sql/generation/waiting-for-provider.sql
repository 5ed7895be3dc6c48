-- Replicate is down for everyone (its circuit is open, or every call of late failed) or asked us to slow down: the
-- token goes back to the queue to wait for it (:#wait_seconds), with the reason. The attempts spent since the
-- claim (:#attempts_at_claim) are given back — their calls were refused or failed in the outage, and an outage
-- is not the token's fault — and one real attempt is always left for when Replicate takes calls again. Only the
-- claim that holds the token may do this.
WITH waiting AS (
    UPDATE tokens_s0
       SET status = 'detected',
           generation_attempts = greatest(0, least(CAST(:#attempts_at_claim AS int) - 1, CAST(:#max_attempts AS int) - 1)),
           generation_error = left(:#failure, 1000),
           next_attempt_at = now() + make_interval(secs => CAST(:#wait_seconds AS int)),
           lease_id = NULL
     WHERE token_id = :#token_id AND lease_id = :#lease_id
 RETURNING token_id, generation_attempts
)
INSERT INTO token_events (token_id, stage, event, detail)
SELECT token_id, 'generation', 'waiting_for_provider',
       jsonb_build_object('attempts', generation_attempts, 'error', left(CAST(:#failure AS text), 1000))
  FROM waiting
