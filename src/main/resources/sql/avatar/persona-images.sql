-- The photos of some personas (:personaKeys), in order.
SELECT persona_key, n, status, s3_key, url, thumb_url, width, height, error
  FROM avatar_images
 WHERE persona_key = ANY (:personaKeys)
 ORDER BY persona_key, n
