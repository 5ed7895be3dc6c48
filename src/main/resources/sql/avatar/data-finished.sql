-- The persona data phase ends: with personas the task goes on to their pictures (a shortfall noted in its log);
-- with none at all it has failed.
UPDATE avatar_tasks
   SET status = CASE WHEN personas_stored = 0 THEN 'failed' ELSE 'data-generated' END,
       error = CASE WHEN personas_stored = 0
                    THEN left(format('The persona flow gave no usable persona in %s rounds', data_rounds), 1000) END,
       finished_at = CASE WHEN personas_stored = 0 THEN now() END,
       lease_id = CASE WHEN personas_stored = 0 THEN NULL ELSE lease_id END,
       notes = CASE WHEN personas_stored BETWEEN 1 AND persona_count - 1
                    THEN notes || jsonb_build_array(jsonb_build_object('at', now(), 'error',
                             format('Only %s of %s personas: the persona flow gave no more usable ones in %s rounds',
                                    personas_stored, persona_count, data_rounds)))
                    ELSE notes END
 WHERE task_key = :#task_key AND lease_id = :#lease_id AND status = 'generating-data'
RETURNING status, personas_stored
