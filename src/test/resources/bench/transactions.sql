-- Transactions the service's database has run (committed or rolled back): what an idle service costs it.
SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = :database
