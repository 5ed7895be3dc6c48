-- Every reveal transaction the pipeline recorded.
SELECT id, sender, nonce, tx_hash, token_ids, status, error FROM reveal_transactions ORDER BY id
