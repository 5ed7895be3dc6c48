-- A reveal transaction is over without revealing anything: it reverted on chain, its nonce went to another
-- transaction, or the node refused it. With :wholeNonce every other open transaction of its sender and nonce
-- (a replacement, or what it replaced) is over too; without, only this one — a refused replacement leaves the
-- transaction it would have replaced open, marked as just attempted so the next replacement waits a full
-- timeout. Its tokens are released by release-tokens.sql.
WITH siblings AS (
    UPDATE reveal_transactions
       SET status = CASE WHEN :wholeNonce THEN 'replaced' ELSE status END, updated_at = now()
     WHERE status IN ('pending', 'sent') AND id <> :id AND nonce = :nonce AND sender IS NOT DISTINCT FROM :sender
)
UPDATE reveal_transactions
   SET status = 'failed', error = left(:error, 1000),
       gas_used = coalesce(CAST(:gasUsed AS numeric), gas_used), block_number = coalesce(CAST(:blockNumber AS bigint), block_number),
       updated_at = now()
 WHERE id = :id AND status IN ('pending', 'sent')
