package io.glisk.generation;

import io.glisk.provider.BearerTokenAuth;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GenerationBeans {

    /** Replicate's bearer token, added by the HTTP client of the Replicate endpoints only. */
    @Bean
    BearerTokenAuth replicateAuth(ReplicateSettings settings) {
        return new BearerTokenAuth(settings.baseUrl(), settings.apiToken());
    }
}
