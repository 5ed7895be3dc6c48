package io.glisk.generation;

import io.glisk.provider.ProviderCircuits;
import io.glisk.provider.ProviderHttpPolicy;
import io.glisk.provider.ReachabilityHealth;
import io.glisk.settings.ConditionalOnStage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GenerationBeans {

    /** Replicate's bearer token, added by the HTTP client of the Replicate endpoints only. */
    @Bean
    ProviderHttpPolicy replicateAuth(ReplicateSettings settings, ProviderCircuits circuits) {
        return new ProviderHttpPolicy("replicate", settings.baseUrl(), settings.apiToken(), circuits);
    }

    /** Health component {@code replicate}: whether Replicate answers at all. */
    @Bean
    @ConditionalOnStage("generation")
    ReachabilityHealth replicateHealthIndicator(ReplicateSettings settings, @Value("${glisk.health.cache-seconds:30}") long cacheSeconds) {
        return new ReachabilityHealth(settings.baseUrl(), cacheSeconds * 1000);
    }
}
