-- How many reveal transactions are open (recorded, not mined or given up yet), for the pipeline summary.
SELECT count(*) FROM reveal_transactions WHERE status IN ('pending', 'sent')
