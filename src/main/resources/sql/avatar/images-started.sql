-- The pictures phase begins (or resumes after a restart).
UPDATE avatar_tasks
   SET status = 'generating-images'
 WHERE task_key = :#task_key AND lease_id = :#lease_id AND status IN ('data-generated', 'generating-images')
