package io.glisk.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * Camel's exchange event notifier is kept for its gauges of the exchanges in flight per route
 * ({@code camel_exchanges_inflight}, on the dashboard), but times no exchange: for each one it searched the whole
 * meter registry for its last-exchange gauge, a cost every token paid, and every tick of an idle timer. Route
 * metrics ({@code camel_exchanges_total} and the others) come from the route policy and are unchanged.
 */
@Component
class CamelExchangeMetrics implements CamelContextConfiguration {

    @Override
    public void beforeApplicationStart(CamelContext context) {
    }

    @Override
    public void afterApplicationStart(CamelContext context) {
        context.getManagementStrategy().getEventNotifiers().stream()
                .filter(MicrometerExchangeEventNotifier.class::isInstance)
                .forEach(notifier -> ((MicrometerExchangeEventNotifier) notifier).setIgnoreExchanges(exchange -> true));
    }
}
