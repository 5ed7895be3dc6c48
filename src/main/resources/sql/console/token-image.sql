-- A token's image for its thumbnail: the bytes generation kept (until IPFS has them), else its pinned CID.
-- No row: no such token.
SELECT t.image_cid, i.bytes
  FROM tokens_s0 t
  LEFT JOIN token_images i USING (token_id)
 WHERE t.token_id = :tokenId
