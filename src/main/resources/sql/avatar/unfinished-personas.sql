-- Personas of the task whose work did not end (a failure no route planned for): the task is not finished.
SELECT count(*) FROM avatar_personas WHERE task_key = :#task_key AND status = 'pending'
