-- Reveal transactions whose fate is not known yet, oldest nonce first; replacements after what they replace.
SELECT id, nonce, tx_hash, token_ids, metadata_uris, gas_limit, max_fee_per_gas, max_priority_fee_per_gas, status,
       raw_transaction, sent_at, created_at, extract(epoch FROM now() - coalesce(sent_at, created_at)) AS age_seconds
  FROM reveal_transactions
 WHERE status IN ('pending', 'sent')
 ORDER BY nonce, id
