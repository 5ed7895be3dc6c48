-- A lease belongs to one claim, not to an instance. Every claim gives each row it takes a fresh lease_id;
-- renewal names the lease ids the holder still works on, and every write that ends or changes a claimed
-- token is guarded by its lease_id. So a restarted instance with the same GLISK_INSTANCE_ID inherits
-- nothing, work a route dropped is not renewed, and an exchange that outlived its lease cannot overwrite
-- the token's newer state. lease_owner stays, to show operators which instance holds what.
ALTER TABLE tokens_s0 ADD COLUMN lease_id uuid;

-- Leases held while this migration runs belong to no claim that will ever be renewed: they expire.
UPDATE tokens_s0 SET lease_id = gen_random_uuid() WHERE lease_owner IS NOT NULL;

ALTER TABLE tokens_s0 ADD CONSTRAINT tokens_s0_lease_complete
    CHECK ((lease_id IS NULL) = (lease_owner IS NULL) AND (lease_id IS NULL) = (lease_expires_at IS NULL));

-- Renewal and guarded writes find a lease by its id.
CREATE UNIQUE INDEX tokens_s0_lease_id ON tokens_s0 (lease_id) WHERE lease_id IS NOT NULL;
-- Renewal used to go by holder; nothing looks leases up by holder any more.
DROP INDEX tokens_s0_lease_owner;

-- Ending a lease is one assignment, lease_id = NULL: the holder and the expiry go with it.
CREATE OR REPLACE FUNCTION tokens_s0_touch() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        NEW.status_changed_at := now();
    END IF;
    IF NEW.lease_id IS NULL THEN
        NEW.lease_owner := NULL;
        NEW.lease_expires_at := NULL;
    END IF;
    RETURN NEW;
END $$;
