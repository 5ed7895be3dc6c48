-- Nonces belong to a sender address: with a rotated KEEPER_PRIVATE_KEY the new address starts from its own
-- count on chain. Transactions recorded before this column existed were sent by the keeper of their time
-- (NULL: compared as the current keeper).
ALTER TABLE reveal_transactions ADD COLUMN sender text CHECK (sender ~ '^0x[0-9a-f]{40}$');
