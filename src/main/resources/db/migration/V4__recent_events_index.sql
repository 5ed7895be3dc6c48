-- The pipeline summary reads the last minutes of token_events (throughput per stage).
CREATE INDEX token_events_recent ON token_events (created_at);
