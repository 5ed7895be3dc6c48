-- Tokens the generation stage has yet to finish: a count that shrinks as it works (the finished ones, tens of
-- thousands by then, would cost the database more to count at every poll than the stage's own work).
SELECT count(*) FROM tokens_s0 WHERE status IN ('detected', 'generating')
