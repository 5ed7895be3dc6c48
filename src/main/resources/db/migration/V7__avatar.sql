-- The avatar pipeline: tasks that ask for N synthetic personas with K photos each, the personas, the 2×2 grids
-- their photos are cut from, and one row per photo. Everything that was billed is stored as soon as it exists,
-- so a restart resumes from it: a stored persona, base image, grid or photo is never made again.

-- The wake-up channel now carries more than tokens: every queue's NOTIFY goes to glisk_queues.
CREATE OR REPLACE FUNCTION tokens_s0_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('glisk_queues', NEW.status);
    RETURN NULL;
END $$;

CREATE TABLE avatar_tasks (
    task_key            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the short public id users see beside the numeric key
    task_id             text        NOT NULL UNIQUE DEFAULT left(replace(gen_random_uuid()::text, '-', ''), 8)
        CHECK (task_id ~ '^[0-9a-f]{8}$'),
    status              text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'generating-data', 'data-generated', 'generating-images', 'completed', 'failed',
                          'cancelled')),
    persona_count       integer     NOT NULL CHECK (persona_count BETWEEN 10 AND 300),
    images_per_persona  integer     NOT NULL CHECK (images_per_persona IN (4, 8, 12, 16, 20)),
    persona_description text        NOT NULL CHECK (char_length(persona_description) BETWEEN 1 AND 2000),
    bio_language        text        NOT NULL CHECK (char_length(bio_language) BETWEEN 1 AND 100),
    -- the submitter's Idempotency-Key: the same submission sent twice is one task
    request_key         text UNIQUE CHECK (char_length(request_key) <= 200),
    submitted_by        text,
    -- personas stored so far; the row lock on this counter is what keeps parallel batches from storing more than N
    personas_stored     integer     NOT NULL DEFAULT 0 CHECK (personas_stored >= 0),
    -- rounds of persona-flow calls made (the first ask, then asks for what is still missing), across restarts
    data_rounds         integer     NOT NULL DEFAULT 0 CHECK (data_rounds >= 0),
    -- what the image API billed, summed over the task
    input_tokens        bigint      NOT NULL DEFAULT 0,
    output_tokens       bigint      NOT NULL DEFAULT 0,
    total_tokens        bigint      NOT NULL DEFAULT 0,
    -- the task's own log lines ({"at", "error"}): shortfall, stage halts, unexpected failures; failed personas and
    -- photos carry their own errors
    notes               jsonb       NOT NULL DEFAULT '[]',
    error               text CHECK (char_length(error) <= 1000),
    cancel_requested_at timestamptz,
    -- claim/lease bookkeeping, as for tokens: a fresh lease_id per claim, renewed while the task is worked on
    claims              integer     NOT NULL DEFAULT 0,
    lease_owner         text,
    lease_id            uuid,
    lease_expires_at    timestamptz,
    next_attempt_at     timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    finished_at         timestamptz,
    status_changed_at   timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((lease_id IS NULL) = (lease_owner IS NULL) AND (lease_id IS NULL) = (lease_expires_at IS NULL))
);

CREATE UNIQUE INDEX avatar_tasks_lease_id ON avatar_tasks (lease_id) WHERE lease_id IS NOT NULL;
-- the claim walks the waiting tasks in the order they came
CREATE INDEX avatar_tasks_queue ON avatar_tasks (task_key)
    WHERE status IN ('pending', 'generating-data', 'data-generated', 'generating-images');
CREATE INDEX avatar_tasks_status ON avatar_tasks (status);

CREATE TABLE avatar_personas (
    persona_key       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_key          bigint      NOT NULL REFERENCES avatar_tasks (task_key) ON DELETE CASCADE,
    firstname         text        NOT NULL,
    lastname          text        NOT NULL,
    -- one person per name in a task, whichever batch brought it
    name_key          text GENERATED ALWAYS AS (lower(firstname) || ' ' || lower(lastname)) STORED,
    gender            text        NOT NULL CHECK (gender IN ('m', 'f')),
    ethnicity         text        NOT NULL,
    age               integer CHECK (age BETWEEN 1 AND 120),
    facebook_bio      text        NOT NULL,
    instagram_bio     text        NOT NULL,
    x_bio             text        NOT NULL,
    tiktok_bio        text        NOT NULL,
    job_title         text,
    workplace         text,
    edu_establishment text,
    edu_study         text,
    current_city      text,
    current_state     text,
    prev_city         text,
    prev_state        text,
    about             text,
    -- pending: photos still to make; completed: base image stored and every grid made or failed; failed: no base
    status            text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'failed')),
    error             text CHECK (char_length(error) <= 1000),
    base_image_key    text,
    base_image_url    text,
    base_thumb_url    text,
    base_attempts     integer     NOT NULL DEFAULT 0 CHECK (base_attempts >= 0),
    base_stored_at    timestamptz,
    -- what the image API billed for this persona's pictures
    input_tokens      bigint      NOT NULL DEFAULT 0,
    output_tokens     bigint      NOT NULL DEFAULT 0,
    total_tokens      bigint      NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (task_key, name_key)
);
CREATE INDEX avatar_personas_task ON avatar_personas (task_key, persona_key);

-- A 2×2 grid of one persona: its prompt (kept, so a retry asks Flowise only once), its picture (kept between the
-- image API's answer and the upload of its four photos, so a restart cuts the same grid rather than paying for
-- another), and attempts counted before each call.
CREATE TABLE avatar_grids (
    persona_key     bigint      NOT NULL REFERENCES avatar_personas (persona_key) ON DELETE CASCADE,
    grid            integer     NOT NULL CHECK (grid BETWEEN 0 AND 4),
    prompt          text,
    -- attempts at the grid's step in progress: its prompt, then (counted afresh) its picture and photos
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    grid_png        bytea,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    error           text CHECK (char_length(error) <= 1000),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (persona_key, grid)
);

-- One row per photo (n = grid × 4 + tile), written when the photo is stored or known to have failed.
CREATE TABLE avatar_images (
    persona_key bigint      NOT NULL REFERENCES avatar_personas (persona_key) ON DELETE CASCADE,
    n           integer     NOT NULL CHECK (n BETWEEN 0 AND 19),
    grid        integer     NOT NULL CHECK (grid BETWEEN 0 AND 4),
    tile        integer     NOT NULL CHECK (tile BETWEEN 0 AND 3),
    status      text        NOT NULL CHECK (status IN ('stored', 'failed')),
    s3_key      text,
    url         text,
    thumb_url   text,
    width       integer,
    height      integer,
    error       text CHECK (char_length(error) <= 1000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (persona_key, n),
    CHECK (n = grid * 4 + tile),
    CHECK ((status = 'stored') = (url IS NOT NULL))
);

-- A task with its counts, as operators see it: personas completed and failed, photos stored and failed.
CREATE VIEW avatar_task_overview AS
SELECT t.*,
       t.cancel_requested_at IS NOT NULL AS cancel_requested,
       t.lease_id IS NOT NULL AS in_work,
       (SELECT count(*) FROM avatar_personas p WHERE p.task_key = t.task_key AND p.status = 'completed')
           AS personas_completed,
       (SELECT count(*) FROM avatar_personas p WHERE p.task_key = t.task_key AND p.status = 'failed')
           AS personas_failed,
       (SELECT count(*) FROM avatar_images i JOIN avatar_personas p ON p.persona_key = i.persona_key
         WHERE p.task_key = t.task_key AND i.status = 'stored') AS images_stored,
       (SELECT count(*) FROM avatar_images i JOIN avatar_personas p ON p.persona_key = i.persona_key
         WHERE p.task_key = t.task_key AND i.status = 'failed') AS images_failed
  FROM avatar_tasks t;

CREATE FUNCTION avatar_touch() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE TRIGGER avatar_personas_touch BEFORE UPDATE ON avatar_personas
    FOR EACH ROW EXECUTE FUNCTION avatar_touch();
CREATE TRIGGER avatar_grids_touch BEFORE UPDATE ON avatar_grids
    FOR EACH ROW EXECUTE FUNCTION avatar_touch();

-- Rows that are claimed under leases (tokens, avatar tasks) share one touch: updated_at, status_changed_at, and
-- ending a lease in one assignment, lease_id = NULL (the holder and the expiry go with it).
ALTER FUNCTION tokens_s0_touch() RENAME TO glisk_claimed_row_touch;

CREATE TRIGGER avatar_tasks_touch BEFORE UPDATE ON avatar_tasks
    FOR EACH ROW EXECUTE FUNCTION glisk_claimed_row_touch();

-- Wake-up hint for the avatar claim: a task arrived, came back to its queue, or left work (freeing a place
-- under AVATAR_MAX_CONCURRENT_TASKS for the next one, on any instance).
CREATE FUNCTION avatar_tasks_notify() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('glisk_queues', 'avatar');
    RETURN NULL;
END $$;

CREATE TRIGGER avatar_tasks_notify_insert AFTER INSERT ON avatar_tasks
    FOR EACH ROW EXECUTE FUNCTION avatar_tasks_notify();
CREATE TRIGGER avatar_tasks_notify_update AFTER UPDATE OF status, lease_id ON avatar_tasks
    FOR EACH ROW WHEN (NEW.lease_id IS NULL AND (OLD.lease_id IS NOT NULL OR NEW.status IS DISTINCT FROM OLD.status))
    EXECUTE FUNCTION avatar_tasks_notify();

-- Claims waiting tasks in the order they came, at most p_free for this instance, and never more in work across
-- all instances than the instance's own limit (its claim consumer's concurrency, of which p_free are free):
-- p_free minus the tasks other instances hold. Counting and claiming must see every claim committed before,
-- which one statement cannot (its snapshot predates any lock it waits for), so the claims of all instances take
-- turns on an advisory lock and the UPDATE after it runs on a fresh snapshot. No task is claimed while a
-- provider has stopped the stage (system_state 'avatar.halt', until its cooldown ends).
CREATE FUNCTION avatar_claim_tasks(p_owner text, p_free integer, p_lease_seconds integer)
    RETURNS SETOF avatar_tasks
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('avatar_claim_tasks'));
    RETURN QUERY
    UPDATE avatar_tasks t
       SET lease_owner = p_owner,
           lease_id = gen_random_uuid(),
           lease_expires_at = now() + make_interval(secs => p_lease_seconds),
           claims = t.claims + 1,
           started_at = coalesce(t.started_at, now())
     WHERE t.task_key IN (
               SELECT w.task_key
                 FROM avatar_tasks w
                WHERE w.status IN ('pending', 'generating-data', 'data-generated', 'generating-images')
                  AND w.lease_id IS NULL AND w.next_attempt_at <= now()
                  AND NOT EXISTS (SELECT 1 FROM system_state s
                                   WHERE s.key = 'avatar.halt' AND (s.value ->> 'until')::timestamptz > now())
                ORDER BY w.task_key
                LIMIT greatest(0, p_free - (SELECT count(*) FROM avatar_tasks o
                                             WHERE o.lease_id IS NOT NULL AND o.lease_expires_at > now()
                                               AND o.lease_owner <> p_owner))
                  FOR UPDATE SKIP LOCKED)
    RETURNING t.*;
END $$;
