-- How far the pipeline is: tokens, tokens at an end (revealed or failed), reveal transactions still open.
SELECT count(*) AS tokens,
       count(*) FILTER (WHERE status IN ('revealed', 'failed')) AS settled,
       (SELECT count(*) FROM reveal_transactions WHERE status IN ('pending', 'sent')) AS open_transactions
  FROM tokens_s0
