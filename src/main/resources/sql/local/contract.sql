-- The contract local mode deployed on its chain earlier, if any.
SELECT value #>> '{}' FROM system_state WHERE key = 'local_chain.contract'
