package io.glisk.ipfs;

import io.glisk.provider.ProviderHttpPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class IpfsBeans {

    /** Pinata's JWT, added by the HTTP client of the Pinata endpoints only. */
    @Bean
    ProviderHttpPolicy pinataAuth(PinataSettings settings) {
        return new ProviderHttpPolicy("pinata", settings.apiUrl(), settings.jwt());
    }
}
