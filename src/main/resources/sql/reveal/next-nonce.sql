-- Serialises every reveal sender (all instances) for the rest of the transaction, then answers the nonce
-- after the highest one the pipeline has recorded and not seen fail; the chain's own count is compared in
-- code. Recorded-but-unconfirmed transactions count: they may still be mined.
SELECT pg_advisory_xact_lock(hashtext('glisk.reveal.sender')),
       (SELECT max(nonce) + 1 FROM reveal_transactions WHERE status IN ('pending', 'sent', 'confirmed')) AS next_nonce
