-- A page of a task's personas, in the order they were stored (:size rows from :offset; all with a NULL size).
SELECT persona_key, firstname, lastname, gender, ethnicity, age, facebook_bio, instagram_bio, x_bio, tiktok_bio,
       job_title, workplace, edu_establishment, edu_study, current_city, current_state, prev_city, prev_state, about,
       status, error, base_image_key, base_image_url, base_thumb_url, input_tokens, output_tokens, total_tokens,
       created_at
  FROM avatar_personas
 WHERE task_key = :taskKey
 ORDER BY persona_key
 LIMIT :size OFFSET :offset
