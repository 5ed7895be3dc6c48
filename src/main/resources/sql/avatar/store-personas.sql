-- Stores the personas of one persona-flow answer as it arrives (a JSON array in the flow's own field
-- names): never more than the task asked for, never a name the task already has. Batches of a task arrive in
-- parallel: the task row's lock orders them, and its counter (re-read under the lock) caps them. Answers how many
-- were stored.
WITH task AS (
    SELECT persona_count - personas_stored AS room
      FROM avatar_tasks
     WHERE task_key = :#task_key AND lease_id = :#lease_id
       FOR UPDATE
), incoming AS (
    SELECT p.value AS persona, p.ordinality AS position
      FROM jsonb_array_elements(CAST(:#personas_json AS jsonb)) WITH ORDINALITY AS p
), stored AS (
    INSERT INTO avatar_personas (task_key, firstname, lastname, gender, ethnicity, age, facebook_bio, instagram_bio,
                                 x_bio, tiktok_bio, job_title, workplace, edu_establishment, edu_study, current_city,
                                 current_state, prev_city, prev_state, about)
    SELECT CAST(:#task_key AS bigint), persona ->> 'firstname', persona ->> 'lastname', persona ->> 'gender',
           persona ->> 'ethnicity', CAST(persona -> 'bios' ->> 'age' AS integer),
           persona -> 'bios' ->> 'facebook_bio', persona -> 'bios' ->> 'instagram_bio', persona -> 'bios' ->> 'x_bio',
           persona -> 'bios' ->> 'tiktok_bio', persona -> 'bios' ->> 'job_title', persona -> 'bios' ->> 'workplace',
           persona -> 'bios' ->> 'edu_establishment', persona -> 'bios' ->> 'edu_study',
           persona -> 'bios' ->> 'current_city', persona -> 'bios' ->> 'current_state',
           persona -> 'bios' ->> 'prev_city', persona -> 'bios' ->> 'prev_state', persona -> 'bios' ->> 'about'
      FROM incoming, task
     WHERE incoming.position <= task.room
        ON CONFLICT (task_key, name_key) DO NOTHING
 RETURNING persona_key
), counted AS (
    UPDATE avatar_tasks
       SET personas_stored = personas_stored + (SELECT count(*) FROM stored)
     WHERE task_key = :#task_key AND EXISTS (SELECT 1 FROM task)
)
SELECT count(*) AS stored FROM stored
