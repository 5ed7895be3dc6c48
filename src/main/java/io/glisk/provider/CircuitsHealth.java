package io.glisk.provider;

import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code circuits}: each provider's circuit (closed, half open, open, throttled). A provider
 * that is down or throttling is a WARNING, not DOWN: its work waits for it, and restarting would not help.
 */
@Component("circuitsHealthIndicator")
class CircuitsHealth implements HealthIndicator {

    private final ProviderCircuits circuits;

    CircuitsHealth(ProviderCircuits circuits) {
        this.circuits = circuits;
    }

    @Override
    public Health health() {
        Map<String, Map<String, Object>> states = circuits.states();
        boolean allClosed = states.values().stream().allMatch(state -> "closed".equals(state.get("state")));
        return (allClosed ? Health.up() : Health.status(CachedHealth.WARNING)).withDetails(states).build();
    }
}
