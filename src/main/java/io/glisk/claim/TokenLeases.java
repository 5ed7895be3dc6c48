package io.glisk.claim;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
        return rows;
    }

    void release(Object tokenId, int delaySeconds) {
        jdbc.update(sql.load("sql/claim/release.sql"), new MapSqlParameterSource()
                .addValue("tokenId", tokenId)
                .addValue("owner", owner)
                .addValue("delaySeconds", delaySeconds));
    }

    /**
     * Renews every lease this instance holds. It runs whether or not an exchange is in flight: a token can be
     * held between exchanges too (gathered into a reveal batch, or in a transaction awaiting its receipt).
     */
    void renew() {
        int renewed = jdbc.update(sql.load("sql/claim/renew.sql"), new MapSqlParameterSource()
                .addValue("owner", owner)
                .addValue("leaseSeconds", settings.leaseSeconds()));
        log.debug("claim.leases_renewed count={}", renewed);
    }
}
