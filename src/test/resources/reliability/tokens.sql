-- Every token as the pipeline left it, with its author's prompt (one author and one prompt per token).
SELECT t.token_id, t.status, t.failed_stage, t.generation_error, t.upload_error, t.reveal_error,
       t.generation_attempts, t.upload_attempts, t.reveal_attempts, t.generation_censored,
       t.metadata_cid, t.reveal_tx_hash, t.lease_id IS NOT NULL AS leased, a.prompt_text
  FROM tokens_s0 t JOIN authors a ON a.author_id = t.author_id
 ORDER BY t.token_id
