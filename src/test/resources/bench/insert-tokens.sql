-- Detected tokens :first .. :last for the benchmark author, in one statement (one NOTIFY per row, one commit).
INSERT INTO tokens_s0 (token_id, author_id, status)
SELECT id, :author, 'detected' FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS id
