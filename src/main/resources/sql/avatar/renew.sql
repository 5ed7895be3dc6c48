-- Keeps alive the leases of the avatar tasks this process is still working on, named one by one; a lease that
-- has already run out is not revived (its task went back to the queue and may be someone else's by now).
UPDATE avatar_tasks
   SET lease_expires_at = now() + make_interval(secs => :leaseSeconds)
 WHERE lease_id = ANY (:leaseIds) AND lease_expires_at > now()
RETURNING lease_id
