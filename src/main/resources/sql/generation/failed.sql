-- The token cannot be generated: failed, with the reason an operator reads (and can retry after fixing it).
WITH failed AS (
    UPDATE tokens_s0
       SET status = 'failed',
           failed_stage = 'generation',
           generation_error = left(:#failure, 1000),
           lease_id = NULL
     WHERE token_id = :#token_id AND lease_id = :#lease_id
 RETURNING token_id, generation_attempts
)
INSERT INTO token_events (token_id, stage, event, detail)
SELECT token_id, 'generation', 'failed', jsonb_build_object('attempt', generation_attempts, 'error', left(:#failure, 1000))
  FROM failed
