-- Before a retry of image generation: the attempt is counted (and the reason of the previous one kept)
-- before the provider is called again. No row back means the token is no longer under this claim.
WITH retry AS (
    UPDATE tokens_s0
       SET generation_attempts = generation_attempts + 1,
           generation_error = left(:error, 1000)
     WHERE token_id = :tokenId AND lease_id = :leaseId AND status = 'generating'
 RETURNING token_id, generation_attempts
), logged AS (
    INSERT INTO token_events (token_id, stage, event, detail)
    SELECT token_id, 'generation', 'retry', jsonb_build_object('attempt', generation_attempts, 'error', left(:error, 1000))
      FROM retry
)
SELECT generation_attempts FROM retry
