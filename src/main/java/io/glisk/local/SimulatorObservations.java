package io.glisk.local;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * The simulators stand in for providers on other machines: their requests are not the service's own HTTP traffic,
 * so they are not timed as such (an observation per request cost the generation benchmark a few per cent of its CPU).
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
class SimulatorObservations {

    @Bean
    ObservationPredicate simulatorRequestsUnobserved() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier().getRequestURI().startsWith("/sim/"));
    }
}
