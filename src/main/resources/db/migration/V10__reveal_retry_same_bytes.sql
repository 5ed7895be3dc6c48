-- A batch the node refused (insufficient funds, say) goes again with the same tokens, nonce and fees: the very same
-- signed bytes, so the same hash. Only one live (pending, sent) or confirmed record per hash; failed and replaced
-- records are history and may repeat it.
ALTER TABLE reveal_transactions DROP CONSTRAINT reveal_transactions_tx_hash_key;
CREATE UNIQUE INDEX reveal_transactions_live_hash ON reveal_transactions (tx_hash)
    WHERE status IN ('pending', 'sent', 'confirmed');
