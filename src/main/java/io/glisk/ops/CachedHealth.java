package io.glisk.ops;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * A health check of an outside party, run at most once per cache period so that probes never hammer it. An
 * unreachable party is a WARNING, not DOWN: the stages wait it out, and restarting the service would not help.
 */
abstract class CachedHealth implements HealthIndicator {

    static final Status WARNING = new Status("WARNING");

    private final long cacheMillis;
    private volatile Health last;
    private volatile long checkedAt;

    CachedHealth(long cacheMillis) {
        this.cacheMillis = cacheMillis;
    }

    @Override
    public Health health() {
        if (last == null || System.currentTimeMillis() - checkedAt > cacheMillis) {
            last = check();
            checkedAt = System.currentTimeMillis();
        }
        return last;
    }

    protected abstract Health check();
}
