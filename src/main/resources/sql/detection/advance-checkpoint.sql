-- Moves the log poller's checkpoint forward (never back: several instances may poll).
INSERT INTO system_state (key, value) VALUES ('detection.last_block', to_jsonb(CAST(:block AS bigint)))
    ON CONFLICT (key) DO UPDATE SET value = to_jsonb(GREATEST(CAST(system_state.value #>> '{}' AS bigint),
                                                             CAST(:block AS bigint))),
                                    updated_at = now()
