-- Claims up to :limit ready tokens for the next reveal batch in one statement (see generation/claim.sql
-- for why one statement). Tokens of a transaction still open (pending or sent) are never claimed: they are
-- revealed, or released, when that transaction's fate is known.
UPDATE tokens_s0 t
   SET lease_owner = :owner,
       lease_id = gen_random_uuid(),
       lease_expires_at = now() + make_interval(secs => :leaseSeconds)
 WHERE t.token_id IN (SELECT r.token_id
                        FROM tokens_s0 r
                       WHERE r.status = 'ready' AND r.lease_owner IS NULL AND r.next_attempt_at <= now()
                         AND NOT EXISTS (SELECT 1 FROM reveal_transactions x
                                          WHERE x.status IN ('pending', 'sent') AND x.token_ids @> ARRAY[r.token_id])
                       ORDER BY r.next_attempt_at, r.token_id
                       LIMIT :limit
                         FOR UPDATE SKIP LOCKED)
RETURNING t.token_id, t.lease_id, t.metadata_cid, t.reveal_attempts AS attempts,
          -- no token on its way to ready (one look per claim): a batch gathering now has nothing to wait for
          NOT EXISTS (SELECT 1 FROM tokens_s0 u
                       WHERE u.status IN ('detected', 'generating', 'uploading')) AS nothing_upstream
