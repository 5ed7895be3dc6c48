-- The stop in force, if a provider stopped the avatar stage and its cooldown has not ended.
SELECT value ->> 'provider' AS provider, value ->> 'reason' AS reason,
       (value ->> 'since')::timestamptz AS since, (value ->> 'until')::timestamptz AS until
  FROM system_state
 WHERE key = 'avatar.halt' AND (value ->> 'until')::timestamptz > now()
