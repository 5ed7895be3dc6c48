-- Token ids the contract has minted (1 .. nextTokenId − 1) that the pipeline has no row for.
SELECT g AS token_id
  FROM generate_series(1, CAST(:lastTokenId AS bigint)) AS g
 WHERE NOT EXISTS (SELECT 1 FROM tokens_s0 t WHERE t.token_id = g)
 ORDER BY g
 LIMIT :limit
