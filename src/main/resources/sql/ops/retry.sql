-- Sends tokens back to the stage that gave up on them, with a fresh attempt budget: failed in generation →
-- detected, failed in ipfs → uploading, failed in reveal (not on chain when it was tried) or ready after
-- reveal failures → ready, tried again now. Tokens held by a
-- running stage are left alone. Each retry is recorded in the token's story with who asked.
WITH retried AS (
    UPDATE tokens_s0
       SET status = CASE WHEN status = 'failed'
                         THEN CASE coalesce(failed_stage, 'generation') WHEN 'ipfs' THEN 'uploading'
                                                                        WHEN 'reveal' THEN 'ready' ELSE 'detected' END
                         ELSE status END,
           generation_attempts = CASE WHEN status = 'failed' AND coalesce(failed_stage, 'generation') = 'generation'
                                      THEN 0 ELSE generation_attempts END,
           generation_error = CASE WHEN status = 'failed' AND coalesce(failed_stage, 'generation') = 'generation'
                                   THEN NULL ELSE generation_error END,
           upload_attempts = CASE WHEN status = 'failed' AND failed_stage = 'ipfs' THEN 0 ELSE upload_attempts END,
           upload_error = CASE WHEN status = 'failed' AND failed_stage = 'ipfs' THEN NULL ELSE upload_error END,
           reveal_attempts = CASE WHEN status = 'ready' OR failed_stage = 'reveal' THEN 0 ELSE reveal_attempts END,
           reveal_error = CASE WHEN status = 'ready' OR failed_stage = 'reveal' THEN NULL ELSE reveal_error END,
           failed_stage = NULL,
           next_attempt_at = now()
     WHERE token_id = ANY (:tokenIds)
       AND (status = 'failed' OR (status = 'ready' AND reveal_error IS NOT NULL))
       AND lease_owner IS NULL
 RETURNING token_id, status
), audited AS (
    INSERT INTO token_events (token_id, stage, event, detail)
    SELECT token_id, 'admin', 'retried', jsonb_build_object('by', CAST(:user AS text), 'to', status) FROM retried
)
SELECT token_id, status FROM retried ORDER BY token_id
