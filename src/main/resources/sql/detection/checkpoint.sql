-- The last block the log poller has fully read (NULL before its first run).
SELECT CAST(value #>> '{}' AS bigint) FROM system_state WHERE key = 'detection.last_block'
