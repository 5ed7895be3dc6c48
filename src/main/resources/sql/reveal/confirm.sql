-- The transaction is mined and succeeded: its tokens are revealed (with its hash), it is confirmed, and any
-- other transaction recorded for the same sender and nonce (a replacement, or what it replaced) is marked replaced.
-- Answers whether this statement confirmed it: a second settlement of the same receipt finds it confirmed already.
WITH confirmed AS (
    UPDATE reveal_transactions
       SET status = 'confirmed', gas_used = :gasUsed, effective_gas_price = :effectiveGasPrice,
           block_number = :blockNumber, confirmed_at = now(), updated_at = now()
     WHERE id = :id AND status IN ('pending', 'sent')
 RETURNING nonce, sender, token_ids, tx_hash
), others AS (
    UPDATE reveal_transactions x
       SET status = 'replaced', updated_at = now()
      FROM confirmed c
     WHERE x.nonce = c.nonce AND x.sender IS NOT DISTINCT FROM c.sender AND x.id <> :id AND x.status IN ('pending', 'sent')
), revealed AS (
    UPDATE tokens_s0 t
       SET status = 'revealed', reveal_tx_hash = c.tx_hash, reveal_error = NULL, lease_id = NULL
      FROM confirmed c
     WHERE t.token_id = ANY (c.token_ids) AND t.status = 'ready'
 RETURNING t.token_id
), logged AS (
    INSERT INTO token_events (token_id, stage, event, detail)
    SELECT token_id, 'reveal', 'revealed', jsonb_build_object('tx_hash', CAST(:txHash AS text), 'block', CAST(:blockNumber AS bigint))
      FROM revealed
)
SELECT EXISTS (SELECT 1 FROM confirmed)
