-- Serialises every reveal sender (all instances) for the rest of the transaction. A statement of its own: a
-- statement's snapshot is taken before it waits for the lock, so whatever reads the open nonces must come after,
-- in a statement that sees what the previous holder committed.
SELECT pg_advisory_xact_lock(hashtext('glisk.reveal.sender'))
