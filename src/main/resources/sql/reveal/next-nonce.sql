-- Under the sender lock (sender-lock.sql, earlier in the same transaction): the nonce after the highest one this
-- sender has open (recorded, not yet mined or given up); the chain's own count for the sender is compared in
-- code. Nonces belong to a sender: a rotated keeper key starts from its own count on chain, and transactions
-- mined long ago are the chain's business, not ours.
SELECT (SELECT max(nonce) + 1 FROM reveal_transactions
         WHERE status IN ('pending', 'sent') AND coalesce(sender, :sender) = :sender) AS next_nonce
