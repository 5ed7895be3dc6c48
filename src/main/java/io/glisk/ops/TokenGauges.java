package io.glisk.ops;

import io.glisk.sql.SqlResources;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tokens per status and the age of the oldest one in each status, as Prometheus gauges
 * ({@code glisk_tokens{status}}, {@code glisk_tokens_oldest_age_seconds{status}}). Read from the database
 * only when scraped, at most once per {@link #MAX_AGE_MILLIS}, so an idle, unscraped instance costs nothing.
 */
@Component
public class TokenGauges {

    private static final long MAX_AGE_MILLIS = 5_000;

    private final JdbcTemplate jdbc;
    private final String statusCounts;
    private volatile Map<String, double[]> snapshot = Map.of();
    private volatile long takenAt;

    TokenGauges(JdbcTemplate jdbc, SqlResources sql, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.statusCounts = sql.load("sql/ops/status-counts.sql");
        for (String status : TokenOperations.STATUSES) {
            Gauge.builder("glisk.tokens", this, g -> g.current(status)[0]).tag("status", status)
                    .description("tokens in each status").register(registry);
            Gauge.builder("glisk.tokens.oldest.age", this, g -> g.current(status)[1]).tag("status", status)
                    .baseUnit("seconds").description("how long the oldest token has been in its status").register(registry);
        }
    }

    /** [count, oldest age in seconds] of a status. */
    private double[] current(String status) {
        if (System.currentTimeMillis() - takenAt > MAX_AGE_MILLIS) {
            Map<String, double[]> fresh = new ConcurrentHashMap<>();
            jdbc.query(statusCounts, row -> {
                fresh.put(row.getString("status"), new double[] {row.getLong("tokens"), row.getDouble("oldest_age_seconds")});
            });
            snapshot = fresh;
            takenAt = System.currentTimeMillis();
        }
        return snapshot.getOrDefault(status, new double[] {0, 0});
    }
}
