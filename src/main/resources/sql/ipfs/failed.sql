-- The token cannot be pinned: failed, with the reason an operator reads (and can retry after fixing it).
WITH failed AS (
    UPDATE tokens_s0
       SET status = 'failed',
           failed_stage = 'ipfs',
           upload_error = left(:#failure, 1000),
           lease_id = NULL
     WHERE token_id = :#token_id AND lease_id = :#lease_id
 RETURNING token_id, upload_attempts
)
INSERT INTO token_events (token_id, stage, event, detail)
SELECT token_id, 'ipfs', 'failed', jsonb_build_object('attempt', upload_attempts, 'error', left(:#failure, 1000))
  FROM failed
