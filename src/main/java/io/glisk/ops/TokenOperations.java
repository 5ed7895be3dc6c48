package io.glisk.ops;

import io.glisk.events.PipelineEvents;
import io.glisk.ipfs.IpfsGateway;
import io.glisk.sql.SqlResources;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.event.Level;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

/**
 * What operators read about tokens and do to them, whichever front end they use (the admin API answers it as
 * JSON, the web console as pages): tokens per status, one token's whole story, retries. A retry is recorded in
 * the token's story with who asked.
 */
@Component
public class TokenOperations {

    /** Every token status, in pipeline order. */
    public static final List<String> STATUSES = List.of("detected", "generating", "uploading", "ready", "revealed", "failed");

    /** How many tokens are in a status, and how long the oldest of them has been in it (0 when none is). */
    public record StatusCount(String status, long tokens, long oldestAgeSeconds) {

        /** Waiting for a stage or in its work: neither revealed nor failed. */
        public boolean queued() {
            return !status.equals("revealed") && !status.equals("failed");
        }
    }

    /** What a retry of one token did: its status afterwards, or (not retried) the status that stopped it. */
    public record RetryOutcome(long tokenId, String status, boolean retried) {

        public boolean found() {
            return status != null;
        }

        /** Why the token was not retried, in words an operator can act on. */
        public String refusal() {
            return !found() ? "no token " + tokenId : "token " + tokenId + " is " + status
                    + ": only failed tokens, and ready tokens waiting after a reveal failure, can be retried";
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final IpfsGateway gateway;

    TokenOperations(NamedParameterJdbcTemplate jdbc, SqlResources sql, IpfsGateway gateway) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.gateway = gateway;
    }

    /** Every status in pipeline order, those without tokens included. */
    public List<StatusCount> statusCounts() {
        Map<String, StatusCount> counted = new HashMap<>();
        for (Map<String, Object> row : jdbc.queryForList(sql.load("sql/ops/status-counts.sql"), Map.of())) {
            String status = (String) row.get("status");
            counted.put(status, new StatusCount(status, ((Number) row.get("tokens")).longValue(),
                    Math.round(((Number) row.get("oldest_age_seconds")).doubleValue())));
        }
        return STATUSES.stream().map(status -> counted.getOrDefault(status, new StatusCount(status, 0, 0))).toList();
    }

    /** A token's state, author, mint, events (oldest first) and reveal transactions; CIDs with their gateway links. */
    public Optional<Map<String, Object>> story(long tokenId) {
        List<Map<String, Object>> rows = jdbc.queryForList(sql.load("sql/ops/token.sql"), Map.of("tokenId", tokenId));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> story = new LinkedHashMap<>(rows.get(0));
        if (story.get("image_cid") != null) {
            story.put("image_gateway_url", gateway.url((String) story.get("image_cid")));
        }
        if (story.get("metadata_cid") != null) {
            story.put("metadata_gateway_url", gateway.url((String) story.get("metadata_cid")));
        }
        story.put("events", jdbc.queryForList(sql.load("sql/ops/token-events.sql"), Map.of("tokenId", tokenId)));
        story.put("reveal_transactions", jdbc.queryForList(sql.load("sql/ops/token-transactions.sql"), Map.of("tokenId", tokenId)));
        return Optional.of(story);
    }

    /** Retries one token (see {@link #retry(List, String)}) and logs {@code admin.token_retried} with who asked. */
    public RetryOutcome retry(long tokenId, String user) {
        List<Map<String, Object>> retried = retryRows(List.of(tokenId), user);
        if (retried.isEmpty()) {
            List<String> status = jdbc.queryForList(sql.load("sql/ops/token-status.sql"), Map.of("tokenId", tokenId),
                    String.class);
            return new RetryOutcome(tokenId, status.isEmpty() ? null : status.get(0), false);
        }
        String to = (String) retried.get(0).get("status");
        PipelineEvents.event(Level.WARN, "admin.token_retried").addKeyValue("user", user)
                .addKeyValue("token_id", tokenId).addKeyValue("to", to).log();
        return new RetryOutcome(tokenId, to, true);
    }

    /**
     * Sends tokens back to the stage that gave up on them, with a fresh attempt budget (see retry.sql): failed
     * ones, and ready ones waiting after a reveal failure, that no stage holds. The ids of those retried.
     */
    public List<Long> retry(List<Long> tokenIds, String user) {
        return retryRows(tokenIds, user).stream().map(row -> ((Number) row.get("token_id")).longValue()).toList();
    }

    private List<Map<String, Object>> retryRows(List<Long> tokenIds, String user) {
        if (tokenIds.isEmpty()) {
            return List.of();
        }
        return jdbc.queryForList(sql.load("sql/ops/retry.sql"), new MapSqlParameterSource()
                .addValue("tokenIds", new SqlArrayValue("bigint", tokenIds.toArray())).addValue("user", user));
    }
}
