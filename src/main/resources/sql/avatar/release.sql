-- Lets go of avatar tasks whose work ended without the route deciding their fate: an unexpected failure (:error
-- says why and goes into the task's log; the task is claimed again after :delaySeconds and resumes from what is
-- stored) or a route that stopped (:error is NULL: handed back as it is). Only tasks still under these leases.
UPDATE avatar_tasks
   SET lease_id = NULL,
       next_attempt_at = now() + make_interval(secs => :delaySeconds),
       notes = CASE WHEN CAST(:error AS text) IS NULL THEN notes
                    ELSE notes || jsonb_build_array(jsonb_build_object('at', now(), 'error', left(:error, 1000))) END
 WHERE lease_id = ANY (:leaseIds)
