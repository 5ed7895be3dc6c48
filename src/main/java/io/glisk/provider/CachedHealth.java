package io.glisk.provider;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * A health check of an outside party, run at most once per cache period (HEALTH_CACHE_SECONDS) so that probes
 * never hammer it. An unreachable party is a WARNING, not DOWN: the stages wait it out, and restarting the
 * service would not help. Each stage contributes the checks of the parties it uses.
 */
public abstract class CachedHealth implements HealthIndicator {

    /** Worse than UP, still served with HTTP 200: the instance keeps its place behind a load balancer. */
    public static final Status WARNING = new Status("WARNING");

    private final long cacheMillis;
    private volatile Health last;
    private volatile long checkedAt;

    protected CachedHealth(long cacheMillis) {
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
