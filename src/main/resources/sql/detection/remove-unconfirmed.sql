-- Provisional mints in blocks the log poller has now read without finding them there: the chain dropped them in
-- a reorg (a mint mined again elsewhere is a log the poller finds, in its new block). They never had tokens; the
-- rows stay, marked removed, for the audit. A removed mint that the poller finds later still becomes confirmed.
UPDATE mint_events
   SET status = 'removed', removed_at = now(), removed_by = 'poller'
 WHERE status = 'provisional' AND block_number <= :block
RETURNING tx_hash, log_index, block_number, block_hash, contract_address, minter, prompt_author, start_token_id,
          quantity, total_paid
