package io.glisk.local.replicate;

import io.glisk.local.SimulatorWire;
import jakarta.servlet.Filter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** Replicate's predictions API and output files, served by the {@link ReplicateSimulator}. */
@Configuration(proxyBeanMethods = false)
@Profile("local")
class ReplicateSimulatorWire {

    @Bean
    FilterRegistrationBean<Filter> replicateApiFilter(ReplicateSimulator simulator) {
        return SimulatorWire.under(ReplicateSimulator.PATH)
                .route("POST", "/v1/models/([^/]+)/([^/]+)/predictions", (path, request) -> {
                    byte[] body = request.getInputStream().readAllBytes();
                    return simulator.create(path.group(1), path.group(2), request.getHeader("Authorization"),
                            request.getHeader("Prefer"), body.length == 0 ? null : body, request);
                })
                .route("GET", "/v1/predictions/([^/]+)",
                        (path, request) -> simulator.get(path.group(1), request.getHeader("Authorization"), request))
                .route("POST", "/v1/predictions/([^/]+)/cancel",
                        (path, request) -> simulator.cancel(path.group(1), request.getHeader("Authorization"), request))
                .route("GET", "/delivery/([^/]+)/([^/]+)", (path, request) -> simulator.output(path.group(1), path.group(2)))
                .registration();
    }
}
