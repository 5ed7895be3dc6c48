-- Transactions recorded on a nonce their sender still had open in another transaction (replacements, which
-- reuse their stuck transaction's nonce on purpose, aside): two senders chose one nonce. A nonce given up (its
-- transaction refused or over) may be chosen again.
SELECT later.id AS id, earlier.id AS open_id, later.sender, later.nonce
  FROM reveal_transactions later
  JOIN reveal_transactions earlier
    ON earlier.sender = later.sender AND earlier.nonce = later.nonce AND earlier.id < later.id
   AND earlier.replaces IS NULL AND later.replaces IS NULL
 WHERE later.created_at < earlier.updated_at OR earlier.status IN ('pending', 'sent')
 ORDER BY later.id
