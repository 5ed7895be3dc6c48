-- Avatar tasks per status.
SELECT status, count(*) AS tasks FROM avatar_tasks GROUP BY status
