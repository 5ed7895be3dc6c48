-- Times each token's pick-up inside the database, with the server's clock at both ends: when its insert ran
-- (before the commit that sends the NOTIFY) and when a claim took it (detected -> generating).
CREATE TABLE IF NOT EXISTS bench_pickups (token_id bigint PRIMARY KEY, inserted_at timestamptz, claimed_at timestamptz);
TRUNCATE bench_pickups;
CREATE OR REPLACE FUNCTION bench_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bench_pickups (token_id, inserted_at) VALUES (NEW.token_id, clock_timestamp());
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION bench_claimed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bench_pickups SET claimed_at = clock_timestamp() WHERE token_id = NEW.token_id AND claimed_at IS NULL;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER bench_inserted AFTER INSERT ON tokens_s0 FOR EACH ROW EXECUTE FUNCTION bench_inserted();
CREATE OR REPLACE TRIGGER bench_claimed AFTER UPDATE OF status ON tokens_s0 FOR EACH ROW
    WHEN (OLD.status = 'detected' AND NEW.status = 'generating') EXECUTE FUNCTION bench_claimed();
