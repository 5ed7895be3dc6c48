-- One more round of persona-flow calls, while personas are missing and rounds are left (counted in the task, so
-- a restart does not start over): one row per call, asking for at most 10 personas each. No rows: nothing more
-- to ask for.
WITH round AS (
    UPDATE avatar_tasks
       SET data_rounds = data_rounds + 1
     WHERE task_key = :#task_key AND lease_id = :#lease_id
       AND personas_stored < persona_count AND data_rounds < CAST(:#data_max_rounds AS int)
 RETURNING persona_count - personas_stored AS missing
)
SELECT least(10, missing - 10 * g) AS amount
  FROM round, generate_series(0, (missing - 1) / 10) AS g
