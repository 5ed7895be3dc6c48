-- The reveal transactions a token has been part of.
SELECT id, nonce, tx_hash, status, gas_used, error, created_at, sent_at, confirmed_at
  FROM reveal_transactions
 WHERE token_ids @> ARRAY[CAST(:tokenId AS bigint)]
 ORDER BY id
