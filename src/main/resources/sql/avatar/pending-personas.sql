-- The task's personas whose pictures are not all made yet, in the order they were stored.
SELECT persona_key, firstname, lastname, gender, ethnicity, age, facebook_bio, instagram_bio, x_bio, tiktok_bio,
       job_title, workplace, edu_establishment, edu_study, current_city, current_state, prev_city, prev_state, about,
       base_image_url
  FROM avatar_personas
 WHERE task_key = :#task_key AND status = 'pending'
 ORDER BY persona_key
