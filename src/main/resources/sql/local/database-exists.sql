-- Whether local mode's database exists on the embedded server yet (asked of its "postgres" database).
SELECT 1 FROM pg_database WHERE datname = 'glisk'
