-- Local mode's database, created once on the embedded server; Flyway then creates the schema.
CREATE DATABASE glisk
