-- The base image is in the bucket: its key and URLs are stored before anything else happens, so it is never made
-- again and every grid of the persona is made from this very picture.
UPDATE avatar_personas p
   SET base_image_key = :#${variable.stored.key()},
       base_image_url = :#${variable.stored.url()},
       base_thumb_url = :#${variable.stored.thumbUrl()},
       base_stored_at = now(),
       error = NULL
  FROM avatar_tasks t
 WHERE p.persona_key = :#persona_key AND t.task_key = p.task_key AND t.lease_id = :#lease_id
