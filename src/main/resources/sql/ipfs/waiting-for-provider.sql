-- Pinata is down for everyone (its circuit is open, or every call of late failed) or asked us to slow down: the
-- token waits in its queue (:#wait_seconds), with the reason. The attempts spent since the claim
-- (:#attempts_at_claim) are given back — their calls were refused or failed in the outage, and an outage is not
-- the token's fault — and one real attempt is always left for when Pinata takes calls again. What is pinned
-- already stays recorded. Only the claim that holds the token may do this.
WITH waiting AS (
    UPDATE tokens_s0
       SET upload_attempts = greatest(0, least(CAST(:#attempts_at_claim AS int) - 1, CAST(:#max_attempts AS int) - 1)),
           upload_error = left(:#failure, 1000),
           next_attempt_at = now() + make_interval(secs => CAST(:#wait_seconds AS int)),
           lease_id = NULL
     WHERE token_id = :#token_id AND lease_id = :#lease_id
 RETURNING token_id, upload_attempts
)
INSERT INTO token_events (token_id, stage, event, detail)
SELECT token_id, 'ipfs', 'waiting_for_provider',
       jsonb_build_object('attempts', upload_attempts, 'error', left(CAST(:#failure AS text), 1000))
  FROM waiting
