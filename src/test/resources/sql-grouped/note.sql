-- A test statement: notes :#n with the transaction that wrote it, slowly enough (20 ms) that executions sent at
-- the same moment queue behind one another. n = 13 is noted by nobody (0 rows); a negative n breaks the CHECK.
INSERT INTO grouped_sql_notes (n, tx)
SELECT CAST(:#n AS int), txid_current()
  FROM pg_sleep(0.02)
 WHERE CAST(:#n AS int) <> 13
