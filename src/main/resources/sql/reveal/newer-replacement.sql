-- Whether a transaction of the same sender and nonce was recorded after :id (another replacement of it, by
-- this or another instance): then this one is not replaced again.
SELECT EXISTS (SELECT 1 FROM reveal_transactions
                WHERE nonce = :nonce AND sender IS NOT DISTINCT FROM :sender AND id > :id)
