-- A token the chain has already revealed (another keeper, a transaction this pipeline lost track of): it is
-- recorded as revealed, with the URI the chain holds, and left out of the batch.
UPDATE tokens_s0
   SET status = 'revealed', lease_id = NULL,
       reveal_error = CASE WHEN CAST(:chainUri AS text) = 'ipfs://' || metadata_cid THEN NULL
                           ELSE left('revealed on chain with another URI: ' || :chainUri, 1000) END
 WHERE token_id = :tokenId AND lease_id = :leaseId AND status = 'ready'
