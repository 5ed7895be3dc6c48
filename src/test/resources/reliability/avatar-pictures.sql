-- The public URL of every picture and thumbnail the database names for a task: base images and photos.
SELECT base.url
  FROM avatar_personas p
 CROSS JOIN LATERAL (VALUES (p.base_image_url), (p.base_thumb_url)) AS base(url)
 WHERE p.task_key = :taskKey AND base.url IS NOT NULL
UNION ALL
SELECT photo.url
  FROM avatar_images i
  JOIN avatar_personas p ON p.persona_key = i.persona_key
 CROSS JOIN LATERAL (VALUES (i.url), (i.thumb_url)) AS photo(url)
 WHERE p.task_key = :taskKey AND photo.url IS NOT NULL
