-- When each of the tokens :first .. :last left generation, in seconds after they were inserted, earliest first: one
-- statement and one clock (the database's) once they are all through, rather than a count at every poll, which cost
-- the database a few per cent of a core beside the stage it measured and rounded the end up to the next poll.
SELECT extract(epoch FROM status_changed_at - detected_at)
  FROM tokens_s0
 WHERE token_id BETWEEN :first AND :last AND status NOT IN ('detected', 'generating')
 ORDER BY 1
