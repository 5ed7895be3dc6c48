-- The contract local mode just deployed, found again at the next start while the chain keeps its state.
INSERT INTO system_state (key, value) VALUES ('local_chain.contract', to_jsonb(CAST(:contract AS text)))
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
