package io.glisk.claim;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.springframework.stereotype.Component;

/**
 * {@code claim:<stage>?sql=…&queue=…&concurrency=…} — the one claim/lease/attempt mechanism every token stage
 * consumes from. Each exchange is one token leased to this instance; its claimed columns are exchange
 * variables (so {@code :#token_id} works in camel-sql and nothing leaks into HTTP headers).
 */
@Component("claim")
public class ClaimComponent extends DefaultComponent {

    private final TokenLeases leases;
    private final QueueWakeups wakeups;

    ClaimComponent(TokenLeases leases, QueueWakeups wakeups) {
        this.leases = leases;
        this.wakeups = wakeups;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ClaimEndpoint endpoint = new ClaimEndpoint(uri, this, remaining, leases, wakeups);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
