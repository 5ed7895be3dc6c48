SELECT count(*) FROM tokens_s0 WHERE status = :status
