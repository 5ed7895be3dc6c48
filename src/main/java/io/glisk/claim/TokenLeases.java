package io.glisk.claim;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The lease side of the claim mechanism: who this instance is as a holder, the claim statement of each
 * stage, renewal of every lease held, and letting go of a token whose work ended unexpectedly.
 */
@Component
public class TokenLeases {

    private static final Logger log = LoggerFactory.getLogger(TokenLeases.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ClaimSettings settings;
    private final SqlResources sql;
    private final String owner;
    private final AtomicInteger held = new AtomicInteger();

    TokenLeases(NamedParameterJdbcTemplate jdbc, ClaimSettings settings, SqlResources sql) {
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

    public int leaseSeconds() {
        return settings.leaseSeconds();
    }

    /** Runs a stage's claim statement; every returned row is a token now leased to this instance. */
    List<Map<String, Object>> claim(String claimSql, int limit) {
        List<Map<String, Object>> rows = jdbc.queryForList(sql.load(claimSql), new MapSqlParameterSource()
                .addValue("owner", owner)
                .addValue("limit", limit)
                .addValue("leaseSeconds", settings.leaseSeconds()));
        held.addAndGet(rows.size());
        return rows;
    }

    /** The work on a token finished (the stage recorded its outcome, or {@link #release} let go of it). */
    void finished() {
        held.decrementAndGet();
    }

    void release(Object tokenId, int delaySeconds) {
        jdbc.update(sql.load("sql/claim/release.sql"), new MapSqlParameterSource()
                .addValue("tokenId", tokenId)
                .addValue("owner", owner)
                .addValue("delaySeconds", delaySeconds));
    }

    void renew() {
        if (held.get() == 0) {
            return; // idle instances send no renewals
        }
        int renewed = jdbc.update(sql.load("sql/claim/renew.sql"), new MapSqlParameterSource()
                .addValue("owner", owner)
                .addValue("leaseSeconds", settings.leaseSeconds()));
        log.debug("claim.leases_renewed count={}", renewed);
    }
}
