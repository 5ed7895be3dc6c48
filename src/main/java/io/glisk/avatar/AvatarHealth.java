package io.glisk.avatar;

import io.glisk.provider.CachedHealth;
import io.glisk.settings.ConditionalOnStage;
import io.glisk.sql.SqlResources;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Health component {@code avatar}: UP while the stage may call its providers; WARNING while a provider that refused
 * the service as a whole (a wrong key, no quota left, a missing bucket) has stopped it, with which provider, why,
 * and until when — the stage tries again by itself when the cooldown (AVATAR_HALT_COOLDOWN_SECONDS) ends.
 */
@Component("avatarHealthIndicator")
@ConditionalOnStage("avatar")
class AvatarHealth implements HealthIndicator {

    private final NamedParameterJdbcTemplate jdbc;
    private final String haltState;

    AvatarHealth(NamedParameterJdbcTemplate jdbc, SqlResources sql) {
        this.jdbc = jdbc;
        this.haltState = sql.load("sql/avatar/halt-state.sql");
    }

    @Override
    public Health health() {
        List<Map<String, Object>> halts = jdbc.queryForList(haltState, Map.of());
        if (halts.isEmpty()) {
            return Health.up().withDetail("halted", false).build();
        }
        Map<String, Object> halt = halts.get(0);
        return Health.status(CachedHealth.WARNING).withDetail("halted", true)
                .withDetail("provider", halt.get("provider")).withDetail("reason", halt.get("reason"))
                .withDetail("since", String.valueOf(halt.get("since"))).withDetail("until", String.valueOf(halt.get("until")))
                .build();
    }
}
