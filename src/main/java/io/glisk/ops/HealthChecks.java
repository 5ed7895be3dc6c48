package io.glisk.ops;

import io.glisk.chain.ChainConnection;
import io.glisk.generation.ReplicateSettings;
import io.glisk.ipfs.PinataSettings;
import io.glisk.settings.ConditionalOnStage;
import java.math.BigDecimal;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.web3j.protocol.Web3j;

/** Health components beside the database: each provider the enabled stages use, and the chain. */
@Configuration(proxyBeanMethods = false)
class HealthChecks {

    private final long cacheMillis;

    HealthChecks(@Value("${glisk.health.cache-seconds:30}") long cacheSeconds) {
        this.cacheMillis = cacheSeconds * 1000;
    }

    @Bean
    @ConditionalOnStage("generation")
    ReachabilityHealth replicateHealthIndicator(ReplicateSettings settings) {
        return new ReachabilityHealth(settings.baseUrl(), cacheMillis);
    }

    @Bean
    @ConditionalOnStage("ipfs")
    ReachabilityHealth pinataHealthIndicator(PinataSettings settings) {
        return new ReachabilityHealth(settings.apiUrl(), cacheMillis);
    }

    @Bean
    @ConditionalOnStage({"detection", "reveal"})
    ChainHealth chainHealthIndicator(Web3j web3j, ChainConnection chain, Environment environment,
                                     @Value("${glisk.health.keeper-min-balance-eth:0.005}") BigDecimal minimumBalance) {
        return new ChainHealth(web3j, chain, environment.getProperty("glisk.stages.reveal.enabled", Boolean.class, true),
                minimumBalance, cacheMillis);
    }
}
