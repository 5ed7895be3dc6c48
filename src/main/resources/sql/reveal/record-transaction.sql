-- A reveal transaction, signed, recorded BEFORE it is broadcast: whatever happens next, the pipeline knows
-- its sender, nonce, hash, tokens and bytes, and can find it on chain or send it again unchanged. From here
-- on the open transaction, not a lease, keeps its tokens out of other batches: the batch's leases end in the
-- same database transaction — and only if every one of them is still on its token (a batch that outlived its
-- leases records nothing; the caller rolls back when no id comes back).
WITH held AS (
    UPDATE tokens_s0
       SET lease_id = NULL
     WHERE lease_id = ANY (:leaseIds) AND status = 'ready'
 RETURNING token_id
)
INSERT INTO reveal_transactions (nonce, tx_hash, token_ids, metadata_uris, gas_limit, max_fee_per_gas,
                                 max_priority_fee_per_gas, status, raw_transaction, chain_id, replaces, sender)
SELECT :nonce, :txHash, :tokenIds, :uris, :gasLimit, :maxFee, :priorityFee, 'pending', :raw, :chainId, :replaces, :sender
 WHERE (SELECT count(*) FROM held) = cardinality(CAST(:leaseIds AS uuid[]))
RETURNING id
