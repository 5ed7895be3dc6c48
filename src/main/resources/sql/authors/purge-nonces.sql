-- Forgets a bounded number of nonces whose signed messages expired before :before; rows another instance is
-- purging at the same moment are left to it.
DELETE FROM author_prompt_nonces
 WHERE (wallet_address, nonce) IN (SELECT wallet_address, nonce
                                     FROM author_prompt_nonces
                                    WHERE expires_at < :before
                                    ORDER BY expires_at
                                    LIMIT :limit
                                      FOR UPDATE SKIP LOCKED)
