-- The transaction reverted on chain, or its nonce went to another transaction: it and any other
-- transaction of the same nonce are over. Its tokens are released by release-tokens.sql.
UPDATE reveal_transactions
   SET status = CASE WHEN id = :id THEN 'failed' ELSE 'replaced' END, error = left(:error, 1000),
       gas_used = coalesce(CAST(:gasUsed AS numeric), gas_used), block_number = coalesce(CAST(:blockNumber AS bigint), block_number),
       updated_at = now()
 WHERE nonce = :nonce AND status IN ('pending', 'sent')
