-- A log the webhook reports as removed: the block it was mined in left the chain in a reorg. A provisional mint
-- last seen in that very block is marked removed (it never had tokens; the row stays for the audit). Anything else
-- is left as it is, and the answer says why: a confirmed mint is final (only the log poller's view of confirmed
-- blocks counts), a mint last seen in another block was mined again there (this removal is older news), a mint
-- never seen needs nothing.
WITH prior AS (
    SELECT status
      FROM mint_events
     WHERE tx_hash = :txHash AND log_index = :logIndex
), removed AS (
    UPDATE mint_events
       SET status = 'removed', removed_at = now(), removed_by = 'webhook'
     WHERE tx_hash = :txHash AND log_index = :logIndex AND status = 'provisional'
       AND block_number = :blockNumber
       AND (block_hash IS NULL OR CAST(:blockHash AS text) IS NULL OR block_hash = CAST(:blockHash AS text))
    RETURNING id
)
SELECT CASE WHEN EXISTS (SELECT 1 FROM removed) THEN 'removed'
            WHEN NOT EXISTS (SELECT 1 FROM prior) THEN 'unknown'
            WHEN (SELECT status FROM prior) = 'confirmed' THEN 'confirmed'
            WHEN (SELECT status FROM prior) = 'removed' THEN 'already_removed'
            ELSE 'other_block' END AS outcome
