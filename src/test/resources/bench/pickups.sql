SELECT extract(epoch FROM claimed_at - inserted_at) * 1000 AS millis FROM bench_pickups WHERE claimed_at IS NOT NULL
