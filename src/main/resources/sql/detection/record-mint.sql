-- One BatchMinted log as a source saw it: :confirmed when it comes from blocks at least DETECTION_CONFIRMATIONS
-- deep (the log poller; the webhook too when no confirmations are asked for), else provisional. Its mint_events
-- row (tx_hash, log_index) only moves forward, so the sources may overlap and repeat freely:
--   new                               → stored as it was seen;
--   provisional or removed, confirmed → confirmed with the confirmed block, token range and author (the confirmed
--                                       view wins), and its tokens are created;
--   provisional or removed, another provisional view (the transaction mined again elsewhere) → that view,
--                                       provisional; the same view again changes nothing (a removed mint stays
--                                       removed when its retracted delivery is sent again);
--   confirmed                         → left as it is (a duplicate).
-- Tokens exist only for confirmed mints: their INSERT is what wakes generation (NOTIFY on tokens_s0), the moment
-- the mint is confirmed and never before. A token that gap recovery stored without its mint gets it linked. An
-- unknown prompt author is created, without a prompt, with the first confirmed mint of theirs. The row as it was
-- before comes back, so a correction can be logged with what it changed.
WITH prior AS (
    SELECT status, block_number, start_token_id, quantity, prompt_author
      FROM mint_events
     WHERE tx_hash = :txHash AND log_index = :logIndex
), event AS (
    INSERT INTO mint_events AS m (tx_hash, log_index, block_number, block_hash, contract_address, minter,
                                  prompt_author, start_token_id, quantity, total_paid, source, status, confirmed_at)
    VALUES (:txHash, :logIndex, :blockNumber, CAST(:blockHash AS text), :contract, :minter, :promptAuthor,
            :startTokenId, :quantity, CAST(:totalPaid AS numeric), :source,
            CASE WHEN CAST(:confirmed AS boolean) THEN 'confirmed' ELSE 'provisional' END,
            CASE WHEN CAST(:confirmed AS boolean) THEN now() END)
        ON CONFLICT (tx_hash, log_index) DO UPDATE
       SET block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash, minter = EXCLUDED.minter,
           prompt_author = EXCLUDED.prompt_author, start_token_id = EXCLUDED.start_token_id,
           quantity = EXCLUDED.quantity, total_paid = EXCLUDED.total_paid,
           status = EXCLUDED.status, confirmed_at = EXCLUDED.confirmed_at
     WHERE m.status <> 'confirmed'
       AND (EXCLUDED.status = 'confirmed'
            OR (m.block_number, m.block_hash, m.minter, m.prompt_author, m.start_token_id, m.quantity, m.total_paid)
               IS DISTINCT FROM (EXCLUDED.block_number, EXCLUDED.block_hash, EXCLUDED.minter, EXCLUDED.prompt_author,
                                 EXCLUDED.start_token_id, EXCLUDED.quantity, EXCLUDED.total_paid))
    RETURNING m.id, m.status
), author AS (
    INSERT INTO authors (wallet_address)
    SELECT :promptAuthor FROM event WHERE event.status = 'confirmed'
        ON CONFLICT (wallet_address) DO UPDATE SET wallet_address = authors.wallet_address
    RETURNING author_id
), tokens AS (
    INSERT INTO tokens_s0 (token_id, author_id, contract_address, mint_event_id, status)
    SELECT g, author.author_id, :contract, event.id, 'detected'
      FROM event
     CROSS JOIN author
     CROSS JOIN generate_series(CAST(:startTokenId AS bigint), CAST(:startTokenId AS bigint) + :quantity - 1) AS g
        ON CONFLICT (token_id) DO UPDATE SET mint_event_id = EXCLUDED.mint_event_id
     WHERE tokens_s0.mint_event_id IS NULL
    RETURNING (xmax = 0) AS inserted
)
SELECT coalesce((SELECT status FROM event), 'duplicate') AS outcome,
       (SELECT count(*) FROM tokens WHERE inserted) AS new_tokens,
       prior.status AS previous_status, prior.block_number AS previous_block_number,
       prior.start_token_id AS previous_start_token_id, prior.quantity AS previous_quantity,
       prior.prompt_author AS previous_prompt_author
  FROM (SELECT 1) AS one
  LEFT JOIN prior ON true
