-- A token found on chain but missing here (a missed event): stored with its prompt author, as revealed
-- with its metadata CID when the chain already revealed it, else as detected. Whatever another source
-- stored meanwhile wins.
WITH author AS (
    INSERT INTO authors (wallet_address) VALUES (:author)
        ON CONFLICT (wallet_address) DO UPDATE SET wallet_address = authors.wallet_address
    RETURNING author_id
)
INSERT INTO tokens_s0 (token_id, author_id, contract_address, status, metadata_cid)
SELECT :tokenId, author_id, :contract, CASE WHEN CAST(:metadataCid AS text) IS NULL THEN 'detected' ELSE 'revealed' END,
       CAST(:metadataCid AS text)
  FROM author
    ON CONFLICT (token_id) DO NOTHING
