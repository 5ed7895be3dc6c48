-- A claim reads only the tokens it takes, however long the queue. Claims took the oldest token ids among the due
-- tokens; with a backlog the planner either walked the whole queue through tokens_s0_due and sorted it (its status
-- statistics lag behind a burst of mints: it expects a handful of rows) or walked the primary key past every token
-- of the other statuses: about 25 ms a claim with 30,000 tokens waiting, most of the stage's database time.
-- Claims now take the earliest due tokens (ties in token order), which one index yields in order, and the
-- fallback poll's questions (is one due now, when is the next one due) are answered by the same index.
DROP INDEX tokens_s0_due;
CREATE INDEX tokens_s0_claimable ON tokens_s0 (status, next_attempt_at, token_id)
    WHERE lease_owner IS NULL AND status IN ('detected', 'uploading', 'ready');
