-- Tokens per status and how long the oldest has waited in it.
SELECT status, count(*) AS tokens, extract(epoch FROM now() - min(status_changed_at)) AS oldest_age_seconds
  FROM tokens_s0
 GROUP BY status
