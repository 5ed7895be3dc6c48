-- Before a retry of the IPFS upload: the attempt is counted (and the previous reason kept) before Pinata is
-- called again. No row back means the token is no longer under this claim.
WITH retry AS (
    UPDATE tokens_s0
       SET upload_attempts = upload_attempts + 1,
           upload_error = left(:error, 1000)
     WHERE token_id = :tokenId AND lease_id = :leaseId AND status = 'uploading'
 RETURNING token_id, upload_attempts
), logged AS (
    INSERT INTO token_events (token_id, stage, event, detail)
    SELECT token_id, 'ipfs', 'retry', jsonb_build_object('attempt', upload_attempts, 'error', left(:error, 1000))
      FROM retry
)
SELECT upload_attempts FROM retry
