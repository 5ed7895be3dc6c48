-- Claims up to :limit tokens waiting for IPFS (status uploading) in one statement (see
-- generation/claim.sql for why one statement). The token keeps its status; the lease marks it as ours.
-- Returns what the stage needs: what is pinned already (a retry never pins it again), the image bytes the
-- generation stage kept while the image is still to be pinned (read here rather than by a query per token), the
-- image URL for tokens without kept bytes, and the author's handles for the metadata.
UPDATE tokens_s0 t
   SET lease_owner = :owner,
       lease_id = gen_random_uuid(),
       lease_expires_at = now() + make_interval(secs => :leaseSeconds),
       upload_attempts = t.upload_attempts + 1
  FROM authors a
 WHERE a.author_id = t.author_id
   AND t.token_id IN (SELECT token_id
                        FROM tokens_s0
                       WHERE status = 'uploading' AND lease_owner IS NULL AND next_attempt_at <= now()
                       ORDER BY next_attempt_at, token_id
                       LIMIT :limit
                         FOR UPDATE SKIP LOCKED)
RETURNING t.token_id, t.lease_id, t.upload_attempts AS attempts, t.image_url, t.image_cid, t.metadata_cid,
          a.wallet_address::text AS author_wallet, a.x_handle, a.farcaster_handle,
          (SELECT i.content_type FROM token_images i WHERE i.token_id = t.token_id AND t.image_cid IS NULL) AS kept_image_type,
          (SELECT i.bytes FROM token_images i WHERE i.token_id = t.token_id AND t.image_cid IS NULL) AS kept_image_bytes
