-- A token's status, to say why it cannot be retried (or that it does not exist).
SELECT status FROM tokens_s0 WHERE token_id = :tokenId
