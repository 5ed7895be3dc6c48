package io.glisk.avatar;

import io.glisk.settings.ConditionalOnStage;
import io.glisk.sql.SqlResources;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Avatar tasks per status as a Prometheus gauge, {@code glisk_avatar_tasks{status}}. Read from the database only
 * when scraped, at most once per {@link #MAX_AGE_MILLIS}.
 */
@Component
@ConditionalOnStage("avatar")
class AvatarTaskGauges {

    static final List<String> STATUSES = List.of("pending", "generating-data", "data-generated", "generating-images",
            "completed", "failed", "cancelled");
    private static final long MAX_AGE_MILLIS = 5_000;

    private final JdbcTemplate jdbc;
    private final String statusCounts;
    private volatile Map<String, Long> snapshot = Map.of();
    private volatile long takenAt;

    AvatarTaskGauges(JdbcTemplate jdbc, SqlResources sql, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.statusCounts = sql.load("sql/avatar/status-counts.sql");
        for (String status : STATUSES) {
            Gauge.builder("glisk.avatar.tasks", this, g -> g.current(status)).tag("status", status)
                    .description("avatar tasks in each status").register(registry);
        }
    }

    private double current(String status) {
        if (System.currentTimeMillis() - takenAt > MAX_AGE_MILLIS) {
            Map<String, Long> fresh = new ConcurrentHashMap<>();
            jdbc.query(statusCounts, row -> {
                fresh.put(row.getString("status"), row.getLong("tasks"));
            });
            snapshot = fresh;
            takenAt = System.currentTimeMillis();
        }
        return snapshot.getOrDefault(status, 0L);
    }
}
