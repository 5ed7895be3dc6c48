-- Keeps alive the leases this process is still working under, named one by one (:leaseIds), so a slow
-- provider call never loses its row. A lease that ran out while it could not be renewed (the database away,
-- the process paused) is revived as long as it is still on its row: nobody can have claimed the token meanwhile
-- (a claim takes only tokens without a lease), so the work under it may still finish. Once the fallback poll has
-- handed the row back, the lease is gone for good, and the lease ids returned tell the holder which ones it still has.
UPDATE tokens_s0
   SET lease_expires_at = now() + make_interval(secs => :leaseSeconds)
 WHERE lease_id = ANY (:leaseIds)
RETURNING lease_id
