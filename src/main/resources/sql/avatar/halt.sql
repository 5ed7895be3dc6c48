-- A provider refused the service as a whole (wrong key, no quota, missing bucket): no avatar call is made, by any
-- instance, until the cooldown ends; health and the tasks' logs say why.
INSERT INTO system_state (key, value, updated_at)
VALUES ('avatar.halt',
        jsonb_build_object('provider', CAST(:#halt_provider AS text), 'reason', left(:#failure, 1000), 'since', now(),
                           'until', now() + make_interval(secs => CAST(:#halt_cooldown AS int))),
        now())
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
