package io.glisk.generation;

import io.glisk.provider.ProviderHttpPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GenerationBeans {

    /** Replicate's bearer token, added by the HTTP client of the Replicate endpoints only. */
    @Bean
    ProviderHttpPolicy replicateAuth(ReplicateSettings settings) {
        return new ProviderHttpPolicy("replicate", settings.baseUrl(), settings.apiToken());
    }
}
