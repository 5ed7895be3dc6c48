-- Which instances hold tokens right now, and until when at the latest.
SELECT lease_owner, count(*) AS tokens, max(lease_expires_at) AS until
  FROM tokens_s0
 WHERE lease_owner IS NOT NULL
 GROUP BY lease_owner
 ORDER BY lease_owner
