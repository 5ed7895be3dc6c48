package io.glisk.ipfs;

import io.glisk.provider.ProviderCircuits;
import io.glisk.provider.ProviderHttpPolicy;
import io.glisk.provider.ReachabilityHealth;
import io.glisk.settings.ConditionalOnStage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class IpfsBeans {

    /** Pinata's JWT, added by the HTTP client of the Pinata endpoints only. */
    @Bean
    ProviderHttpPolicy pinataAuth(PinataSettings settings, ProviderCircuits circuits) {
        return new ProviderHttpPolicy("pinata", settings.apiUrl(), settings.jwt(), circuits);
    }

    /** Health component {@code pinata}: whether Pinata answers at all. */
    @Bean
    @ConditionalOnStage("ipfs")
    ReachabilityHealth pinataHealthIndicator(PinataSettings settings, @Value("${glisk.health.cache-seconds:30}") long cacheSeconds) {
        return new ReachabilityHealth(settings.apiUrl(), cacheSeconds * 1000);
    }
}
