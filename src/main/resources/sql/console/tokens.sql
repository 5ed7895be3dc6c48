-- One page of the console's token list, newest (highest token id) first, of one status or all (:status NULL).
-- last_error is the one that matters now: the failing stage's, else whatever a stage is retrying after; a
-- revealed token's old errors are history (its page shows them).
SELECT t.token_id, t.status, t.failed_stage,
       t.generation_attempts, t.upload_attempts, t.reveal_attempts,
       CASE WHEN t.status <> 'revealed' THEN
           coalesce(CASE t.failed_stage WHEN 'generation' THEN t.generation_error
                                        WHEN 'ipfs' THEN t.upload_error
                                        WHEN 'reveal' THEN t.reveal_error END,
                    t.reveal_error, t.upload_error, t.generation_error)
       END AS last_error,
       t.image_cid, t.metadata_cid, t.reveal_tx_hash, t.status_changed_at,
       t.image_cid IS NOT NULL OR EXISTS (SELECT 1 FROM token_images i WHERE i.token_id = t.token_id) AS has_image
  FROM tokens_s0 t
 WHERE CAST(:status AS text) IS NULL OR t.status = :status
 ORDER BY t.token_id DESC
 LIMIT :limit OFFSET :offset
