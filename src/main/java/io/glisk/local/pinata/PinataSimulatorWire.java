package io.glisk.local.pinata;

import io.glisk.local.SimulatorWire;
import jakarta.servlet.Filter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** Pinata's pinning API and its gateway, served by the {@link PinataSimulator}. */
@Configuration(proxyBeanMethods = false)
@Profile("local")
class PinataSimulatorWire {

    @Bean
    FilterRegistrationBean<Filter> pinataApiFilter(PinataSimulator simulator) {
        return SimulatorWire.under(PinataSimulator.PATH)
                .route("POST", "/pinning/pinFileToIPFS",
                        (path, request) -> simulator.pinFileToIpfs(request.getHeader("Authorization"), request))
                .route("POST", "/pinning/pinJSONToIPFS",
                        (path, request) -> simulator.pinJsonToIpfs(request.getHeader("Authorization"), request))
                .registration();
    }

    @Bean
    FilterRegistrationBean<Filter> ipfsGatewayFilter(PinataSimulator simulator) {
        return SimulatorWire.under(PinataSimulator.GATEWAY_PATH)
                .route("GET", "/([^/]+)", (path, request) -> simulator.gateway(path.group(1)))
                .registration();
    }
}
