package io.glisk.claim;

import io.glisk.events.PipelineEvents;
import io.glisk.sql.SqlResources;
import io.glisk.support.TestCircuits;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.spi.Registry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * The attempt column of claimed tokens, in memory, for route tests: what {@code sql/<stage>/retrying.sql} does
 * to the database (count the attempt, keep the previous attempt's error, or answer no row when the lease is no
 * longer ours). It backs the real {@link AttemptRecorder}, and is bound with the other beans the shared error
 * handling of the token stages calls, so the routes run their own policy unchanged.
 */
public final class AttemptLedger {

    private final Map<Object, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<Object, List<String>> errors = new ConcurrentHashMap<>();
    private final Set<Object> lostLeases = ConcurrentHashMap.newKeySet();

    private AttemptLedger() {
    }

    /**
     * Binds {@code stageRetries} ({@code retries}), {@code stageRetryDelay} (capped at
     * {@code maxDelayMillis}), {@code stageFailures} and {@code stageAttempts} (counting in the ledger answered).
     */
    public static AttemptLedger bindStageBeans(Registry registry, ScheduledExecutorService retries,
                                               long maxDelayMillis) {
        AttemptLedger ledger = new AttemptLedger();
        StageFailures failures = new StageFailures();
        registry.bind("stageRetries", retries);
        registry.bind("stageRetryDelay", new StageRetryDelay(maxDelayMillis));
        registry.bind("stageFailures", failures);
        registry.bind("providerCircuits", TestCircuits.neverOpen());
        registry.bind("stageAttempts", new AttemptRecorder(ledger.database(), new SqlResources(), failures, new PipelineEvents()));
        return ledger;
    }

    /** The token was claimed with {@code count} attempts counted (the claim's own included). */
    public void claimed(Object tokenId, int count) {
        attempts.put(tokenId, count);
    }

    /** Another claim has taken (or will take) the token: counting a retry of it finds no row. */
    public void loseLease(Object tokenId) {
        lostLeases.add(tokenId);
    }

    public int attempts(Object tokenId) {
        return attempts.getOrDefault(tokenId, 0);
    }

    /** The reasons kept when each retry was counted, oldest first. */
    public List<String> retryErrors(Object tokenId) {
        return List.copyOf(errors.getOrDefault(tokenId, List.of()));
    }

    private NamedParameterJdbcTemplate database() {
        return new NamedParameterJdbcTemplate(new JdbcTemplate()) {
            @Override
            @SuppressWarnings("unchecked")
            public <T> List<T> queryForList(String sql, SqlParameterSource parameters, Class<T> type) {
                Object tokenId = parameters.getValue("tokenId");
                if (lostLeases.contains(tokenId)) {
                    return List.of();
                }
                errors.computeIfAbsent(tokenId, id -> new CopyOnWriteArrayList<>()).add((String) parameters.getValue("error"));
                return List.of((T) attempts.merge(tokenId, 1, Integer::sum));
            }
        };
    }
}
