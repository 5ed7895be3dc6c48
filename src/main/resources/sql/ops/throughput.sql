-- What each stage finished over the last 1, 5 and 15 minutes (from token_events).
SELECT stage, event,
       count(*) FILTER (WHERE created_at > now() - interval '1 minute') AS last_1m,
       count(*) FILTER (WHERE created_at > now() - interval '5 minutes') AS last_5m,
       count(*) AS last_15m
  FROM token_events
 WHERE created_at > now() - interval '15 minutes'
   AND event IN ('succeeded', 'revealed', 'failed', 'retry', 'regenerate', 'waiting')
 GROUP BY stage, event
 ORDER BY stage, event
