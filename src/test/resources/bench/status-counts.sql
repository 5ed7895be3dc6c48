SELECT status, count(*) AS n FROM tokens_s0 GROUP BY status
