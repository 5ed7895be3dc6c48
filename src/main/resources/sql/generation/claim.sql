-- Claims up to :limit detected tokens for image generation in ONE statement: the row locks taken by
-- FOR UPDATE SKIP LOCKED last exactly as long as this UPDATE, so two instances never take the same token;
-- from then on the lease (renewed while the work runs) is what makes the token ours: each token gets a fresh
-- lease_id, and every write that finishes it names that lease_id. Each claim is an attempt, counted before
-- any provider call so that a crash or restart never resets the count. Earliest due first, ties in token order:
-- the order of the index tokens_s0_claimable, so a claim reads only the rows it takes, however long the queue.
UPDATE tokens_s0 t
   SET status = 'generating',
       lease_owner = :owner,
       lease_id = gen_random_uuid(),
       lease_expires_at = now() + make_interval(secs => :leaseSeconds),
       generation_attempts = t.generation_attempts + 1
  FROM authors a
 WHERE a.author_id = t.author_id
   AND t.token_id IN (SELECT token_id
                        FROM tokens_s0
                       WHERE status = 'detected' AND lease_owner IS NULL AND next_attempt_at <= now()
                       ORDER BY next_attempt_at, token_id
                       LIMIT :limit
                         FOR UPDATE SKIP LOCKED)
RETURNING t.token_id, t.lease_id, t.generation_attempts AS attempts, a.prompt_text,
          coalesce(t.generation_error, 'the last attempt never finished (its holder stopped)') AS last_error
