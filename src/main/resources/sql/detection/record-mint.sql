-- One BatchMinted log: its mint_events row and one detected token per id, from whichever source saw it
-- first (log poller, webhook). A log (tx_hash, log_index) or a token already stored is left as it is, so
-- the sources may overlap and repeat freely; a token that gap recovery stored without its event gets the
-- event linked. An unknown prompt author is created without a prompt.
WITH author AS (
    INSERT INTO authors (wallet_address) VALUES (:#${body.promptAuthor()})
        ON CONFLICT (wallet_address) DO UPDATE SET wallet_address = authors.wallet_address
    RETURNING author_id
), event AS (
    INSERT INTO mint_events (tx_hash, log_index, block_number, block_hash, contract_address, minter,
                             prompt_author, start_token_id, quantity, total_paid, source)
    VALUES (:#${body.txHash()}, :#${body.logIndex()}, :#${body.blockNumber()}, :#${body.blockHash()},
            :#${body.contractAddress()}, :#${body.minter()}, :#${body.promptAuthor()}, :#${body.startTokenId()},
            :#${body.quantity()}, CAST(:#${body.totalPaid()} AS numeric), :#source)
        ON CONFLICT (tx_hash, log_index) DO NOTHING
    RETURNING id
), tokens AS (
    INSERT INTO tokens_s0 (token_id, author_id, contract_address, mint_event_id, status)
    SELECT g, (SELECT author_id FROM author), :#${body.contractAddress()}, (SELECT id FROM event), 'detected'
      FROM generate_series(CAST(:#${body.startTokenId()} AS bigint),
                           CAST(:#${body.startTokenId()} AS bigint) + :#${body.quantity()} - 1) AS g
        ON CONFLICT (token_id) DO UPDATE SET mint_event_id = EXCLUDED.mint_event_id
     WHERE tokens_s0.mint_event_id IS NULL AND EXCLUDED.mint_event_id IS NOT NULL
    RETURNING token_id, (xmax = 0) AS inserted
)
SELECT (SELECT count(*) FROM event) AS new_events,
       (SELECT count(*) FROM tokens WHERE inserted) AS new_tokens
