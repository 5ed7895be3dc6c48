package io.glisk.claim;

import io.glisk.provider.CachedHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code claims}: whether wake-ups arrive through LISTEN (pick-up within milliseconds) or
 * only through the fallback poll while the LISTEN connection is being re-established (WARNING: work still
 * flows, slower), and how many leases this instance holds.
 */
@Component("claimsHealthIndicator")
class ClaimHealth implements HealthIndicator {

    private final QueueWakeups wakeups;
    private final HeldLeases leases;
    private final Claims claims;

    ClaimHealth(QueueWakeups wakeups, HeldLeases leases, Claims claims) {
        this.wakeups = wakeups;
        this.leases = leases;
        this.claims = claims;
    }

    @Override
    public Health health() {
        Health.Builder health = wakeups.isListening() ? Health.up() : Health.status(CachedHealth.WARNING)
                .withDetail("listenError", String.valueOf(wakeups.listenError()))
                .withDetail("listenDownSince", String.valueOf(wakeups.listenDownSince()))
                .withDetail("pickUp", "fallback poll only until the LISTEN connection is back");
        return health.withDetail("listening", wakeups.isListening())
                .withDetail("instance", claims.owner())
                .withDetail("leasesHeld", leases.count())
                .build();
    }
}
