package io.glisk.claim;

import io.glisk.provider.ProviderCircuits;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.springframework.stereotype.Component;

/**
 * {@code claim:<stage>?sql=…&queue=…&concurrency=…} — the one claim/lease/attempt mechanism every stage
 * consumes from. Each exchange is one claimed row under its own lease; its claimed columns are exchange
 * variables (so {@code :#token_id} and {@code :#lease_id} work in camel-sql and nothing leaks into HTTP headers).
 */
@Component("claim")
public class ClaimComponent extends DefaultComponent {

    private final Claims claims;
    private final HeldLeases leases;
    private final QueueWakeups wakeups;
    private final ProviderCircuits circuits;

    ClaimComponent(Claims claims, HeldLeases leases, QueueWakeups wakeups, ProviderCircuits circuits) {
        this.claims = claims;
        this.leases = leases;
        this.wakeups = wakeups;
        this.circuits = circuits;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ClaimEndpoint endpoint = new ClaimEndpoint(uri, this, remaining, claims, leases, wakeups, circuits);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
