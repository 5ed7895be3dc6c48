-- The persona data phase begins (or resumes after a restart).
UPDATE avatar_tasks
   SET status = 'generating-data'
 WHERE task_key = :#task_key AND lease_id = :#lease_id AND status IN ('pending', 'generating-data')
