-- A reveal transaction, signed, recorded BEFORE it is broadcast: whatever happens next, the pipeline knows
-- its nonce, hash, tokens and bytes, and can find it on chain or send it again unchanged.
INSERT INTO reveal_transactions (nonce, tx_hash, token_ids, metadata_uris, gas_limit, max_fee_per_gas,
                                 max_priority_fee_per_gas, status, raw_transaction, chain_id, replaces)
VALUES (:nonce, :txHash, :tokenIds, :uris, :gasLimit, :maxFee, :priorityFee, 'pending', :raw, :chainId, :replaces)
RETURNING id
