package io.glisk.avatar;

import io.glisk.settings.ConditionalOnStage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Avatar tasks per status as a Prometheus gauge, {@code glisk_avatar_tasks{status}}. Read from the database only
 * when scraped, at most once per {@link #MAX_AGE_MILLIS}.
 */
@Component
@ConditionalOnStage("avatar")
class AvatarTaskGauges {

    private static final long MAX_AGE_MILLIS = 5_000;

    private final AvatarTaskViews views;
    private volatile Map<String, Long> snapshot = Map.of();
    private volatile long takenAt;

    AvatarTaskGauges(AvatarTaskViews views, MeterRegistry registry) {
        this.views = views;
        for (String status : AvatarTaskViews.STATUSES) {
            Gauge.builder("glisk.avatar.tasks", this, g -> g.current(status)).tag("status", status)
                    .description("avatar tasks in each status").register(registry);
        }
    }

    private double current(String status) {
        if (System.currentTimeMillis() - takenAt > MAX_AGE_MILLIS) {
            snapshot = views.statusCounts();
            takenAt = System.currentTimeMillis();
        }
        return snapshot.getOrDefault(status, 0L);
    }
}
