package io.glisk.ops;

import io.glisk.events.PipelineEvents;
import io.glisk.provider.ProviderCircuits;
import io.glisk.sql.SqlResources;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.Level;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The operators' API: how the pipeline is doing, one token's whole story, and retries — of one token, or in
 * bulk after a provider outage — without writing SQL. Every change is logged as an audit event with who
 * asked, and recorded in the tokens' stories.
 */
@RestController
class PipelineAdmin {

    private static final Set<String> RETRY_STATUSES = Set.of("failed", "ready");
    private static final Set<String> STAGES = Set.of("generation", "ipfs", "reveal");
    private static final int MAX_BULK = 10_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final TokenOperations tokens;
    private final ProviderCircuits circuits;

    PipelineAdmin(NamedParameterJdbcTemplate jdbc, SqlResources sql, TokenOperations tokens, ProviderCircuits circuits) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.tokens = tokens;
        this.circuits = circuits;
    }

    @GetMapping("/api/pipeline/summary")
    Map<String, Object> summary() {
        Map<String, Object> statuses = new LinkedHashMap<>();
        Map<String, Object> oldest = new LinkedHashMap<>();
        long queued = 0;
        for (TokenOperations.StatusCount count : tokens.statusCounts()) {
            statuses.put(count.status(), count.tokens());
            if (count.tokens() > 0) {
                oldest.put(count.status(), count.oldestAgeSeconds());
            }
            if (count.queued()) {
                queued += count.tokens();
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("tokens", statuses);
        summary.put("queueDepth", queued);
        summary.put("oldestAgeSeconds", oldest);
        summary.put("throughput", jdbc.queryForList(sql.load("sql/ops/throughput.sql"), Map.of()));
        summary.put("leases", jdbc.queryForList(sql.load("sql/ops/leases.sql"), Map.of()));
        summary.put("circuits", circuits.states());
        summary.put("openRevealTransactions", jdbc.queryForObject(
                sql.load("sql/ops/open-reveal-transactions.sql"), Map.of(), Long.class));
        return summary;
    }

    @GetMapping("/api/tokens/{tokenId}")
    ResponseEntity<Map<String, Object>> token(@PathVariable long tokenId) {
        return tokens.story(tokenId).map(ResponseEntity::ok)
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "no token " + tokenId));
    }

    @PostMapping("/api/tokens/{tokenId}/retry")
    ResponseEntity<Map<String, Object>> retry(@PathVariable long tokenId, Principal user) {
        TokenOperations.RetryOutcome outcome = tokens.retry(tokenId, name(user));
        if (!outcome.retried()) {
            return error(outcome.found() ? HttpStatus.CONFLICT : HttpStatus.NOT_FOUND, outcome.refusal());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token_id", tokenId);
        answer.put("status", outcome.status());
        return ResponseEntity.ok(answer);
    }

    /**
     * @param status        failed (default) or ready (tokens waiting after reveal failures)
     * @param stage         generation, ipfs or reveal: only tokens that this stage gave up on
     * @param errorContains only tokens whose error mentions this text (case-insensitive)
     * @param limit         at most this many tokens (default 1000, at most 10000)
     * @param dryRun        say what would be retried, change nothing
     */
    record BulkRetry(String status, String stage, String errorContains, Integer limit, Boolean dryRun) {
    }

    @PostMapping("/api/tokens/retry")
    ResponseEntity<Map<String, Object>> retryMany(@RequestBody(required = false) BulkRetry request, Principal user) {
        BulkRetry filter = request == null ? new BulkRetry(null, null, null, null, null) : request;
        String status = filter.status() == null ? "failed" : filter.status();
        int limit = filter.limit() == null ? 1000 : filter.limit();
        if (!RETRY_STATUSES.contains(status)) {
            return error(HttpStatus.BAD_REQUEST, "status must be failed or ready");
        }
        if (filter.stage() != null && !STAGES.contains(filter.stage())) {
            return error(HttpStatus.BAD_REQUEST, "stage must be generation, ipfs or reveal");
        }
        if (filter.errorContains() != null && (filter.errorContains().isBlank() || filter.errorContains().length() > 200)) {
            return error(HttpStatus.BAD_REQUEST, "errorContains must be 1 to 200 characters");
        }
        if (limit < 1 || limit > MAX_BULK) {
            return error(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_BULK);
        }
        List<Long> candidates = jdbc.queryForList(sql.load("sql/ops/retry-candidates.sql"), new MapSqlParameterSource()
                .addValue("status", status).addValue("stage", filter.stage()).addValue("limit", limit)
                .addValue("error", filter.errorContains() == null ? null : likeLiteral(filter.errorContains())), Long.class);
        boolean dryRun = Boolean.TRUE.equals(filter.dryRun());
        List<Long> retried = dryRun ? candidates : tokens.retry(candidates, name(user));
        PipelineEvents.event(Level.WARN, dryRun ? "admin.tokens_retry_dry_run" : "admin.tokens_retried")
                .addKeyValue("user", name(user)).addKeyValue("status", status).addKeyValue("stage", filter.stage())
                .addKeyValue("error_contains", filter.errorContains()).addKeyValue("tokens", retried.size()).log();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dryRun", dryRun);
        answer.put(dryRun ? "wouldRetry" : "retried", retried.size());
        answer.put("tokenIds", retried.subList(0, Math.min(retried.size(), 100)));
        return ResponseEntity.ok(answer);
    }

    /** The operator's text, matched literally by ILIKE. */
    private static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String name(Principal user) {
        return user == null ? "anonymous" : user.getName();
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<Map<String, Object>> unreadable(Exception e) {
        return error(HttpStatus.BAD_REQUEST, e instanceof MethodArgumentTypeMismatchException
                ? "token id must be a number" : "body must be JSON like {\"status\": \"failed\", \"dryRun\": true}");
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(Map.of("error", message));
    }
}
