-- One token with its author and mint (the token's story starts here).
SELECT t.token_id, t.status, t.failed_stage, t.contract_address, t.image_url, t.image_cid, t.metadata_cid,
       t.generation_attempts, t.generation_error, t.generation_prediction_id, t.generation_censored,
       t.upload_attempts, t.upload_error, t.reveal_attempts, t.reveal_error, t.reveal_tx_hash,
       t.lease_owner, t.lease_expires_at, t.next_attempt_at, t.detected_at, t.status_changed_at, t.updated_at,
       a.wallet_address::text AS author_wallet, a.prompt_text IS NOT NULL AS author_has_prompt,
       a.x_handle, a.farcaster_handle,
       m.tx_hash AS mint_tx_hash, m.block_number AS mint_block, m.source AS detected_by,
       EXISTS (SELECT 1 FROM token_images i WHERE i.token_id = t.token_id) AS image_kept,
       -- the tokens retry.sql takes
       (t.status = 'failed' OR (t.status = 'ready' AND t.reveal_error IS NOT NULL)) AND t.lease_owner IS NULL AS retryable
  FROM tokens_s0 t
  JOIN authors a USING (author_id)
  LEFT JOIN mint_events m ON m.id = t.mint_event_id
 WHERE t.token_id = :tokenId
