-- Lets go of claimed tokens whose work ended without the stage deciding their fate — an unexpected failure
-- (:error says why, and becomes the stage's error on the token, so the next attempt and the operator see the
-- real reason) or a route that stopped (:error is NULL, the token is handed back as it is). Only tokens still
-- under these very leases are touched: a token claimed again since is not. The attempt stays counted.
WITH released AS (
    UPDATE tokens_s0
       SET status = glisk_queue_status(status),
           lease_id = NULL,
           generation_error = CASE WHEN status = 'generating' AND CAST(:error AS text) IS NOT NULL
                                   THEN left(:error, 1000) ELSE generation_error END,
           upload_error = CASE WHEN status = 'uploading' AND CAST(:error AS text) IS NOT NULL
                               THEN left(:error, 1000) ELSE upload_error END,
           reveal_error = CASE WHEN status = 'ready' AND CAST(:error AS text) IS NOT NULL
                               THEN left(:error, 1000) ELSE reveal_error END,
           next_attempt_at = now() + make_interval(secs => :delaySeconds)
     WHERE lease_id = ANY (:leaseIds)
 RETURNING token_id
)
INSERT INTO token_events (token_id, stage, event, detail)
SELECT token_id, :stage, CASE WHEN CAST(:error AS text) IS NULL THEN 'handed_back' ELSE 'released' END,
       CASE WHEN CAST(:error AS text) IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('error', left(:error, 1000)) END
  FROM released
