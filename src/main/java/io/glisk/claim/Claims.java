package io.glisk.claim;

import io.glisk.sql.SqlResources;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

/**
 * Runs the claim statements: who this instance is as a holder (shown to operators, never trusted to guard a
 * write — a restarted process may carry the same name), taking rows with a fresh lease each, and letting go of
 * rows whose work ended without the stage deciding their fate.
 */
@Component
public class Claims {

    private final NamedParameterJdbcTemplate jdbc;
    private final ClaimSettings settings;
    private final SqlResources sql;
    private final String owner;

    Claims(NamedParameterJdbcTemplate jdbc, ClaimSettings settings, SqlResources sql) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.sql = sql;
        this.owner = settings.instanceId() == null || settings.instanceId().isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8)
                : settings.instanceId();
    }

    public String owner() {
        return owner;
    }

    /** Runs a claim statement; every row returned is now leased by this instance under its own lease_id. */
    List<Map<String, Object>> claim(String claimSql, int limit) {
        return jdbc.queryForList(sql.load(claimSql), new MapSqlParameterSource()
                .addValue("owner", owner)
                .addValue("limit", limit)
                .addValue("leaseSeconds", settings.leaseSeconds()));
    }

    /**
     * Lets go of the rows of these leases, if they are still theirs: back to their queue after
     * {@code delaySeconds}, with {@code error} (when not null) recorded as the reason their attempt ended.
     */
    int release(String releaseSql, String stage, Collection<UUID> leaseIds, String error, int delaySeconds) {
        if (leaseIds.isEmpty()) {
            return 0;
        }
        return jdbc.update(sql.load(releaseSql), new MapSqlParameterSource()
                .addValue("leaseIds", new SqlArrayValue("uuid", leaseIds.toArray()))
                .addValue("stage", stage)
                .addValue("error", error)
                .addValue("delaySeconds", delaySeconds));
    }
}
