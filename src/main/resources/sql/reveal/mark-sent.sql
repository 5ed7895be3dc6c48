-- The node accepted the transaction.
UPDATE reveal_transactions
   SET status = 'sent', sent_at = coalesce(sent_at, now()), updated_at = now()
 WHERE id = :id AND status IN ('pending', 'sent')
