-- The image is pinned: remember its CID at once, so that a retry pins only what is still missing.
UPDATE tokens_s0
   SET image_cid = :#image_cid
 WHERE token_id = :#token_id AND lease_id = :#lease_id
