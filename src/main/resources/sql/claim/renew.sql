-- Keeps alive the leases this process is still working under, named one by one (:leaseIds), so a slow
-- provider call never loses its row. A lease that has already run out is not revived: the holder lost it
-- (the fallback poll hands the row back), and the lease ids returned tell the holder which ones it still has.
UPDATE tokens_s0
   SET lease_expires_at = now() + make_interval(secs => :leaseSeconds)
 WHERE lease_id = ANY (:leaseIds) AND lease_expires_at > now()
RETURNING lease_id
