-- Reveal transactions whose fate is not known yet, by sender and oldest nonce first; replacements after what
-- they replace. age_seconds: since it was sent (or recorded); idle_seconds: since anything last happened to it
-- (a refused replacement counts), so a replacement is tried at most once per timeout.
SELECT id, sender, nonce, tx_hash, token_ids, metadata_uris, gas_limit, max_fee_per_gas, max_priority_fee_per_gas,
       status, raw_transaction, replaces,
       extract(epoch FROM now() - coalesce(sent_at, created_at)) AS age_seconds,
       extract(epoch FROM now() - updated_at) AS idle_seconds
  FROM reveal_transactions
 WHERE status IN ('pending', 'sent')
 ORDER BY sender, nonce, id
