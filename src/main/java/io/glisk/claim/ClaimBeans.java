package io.glisk.claim;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ClaimBeans {

    /**
     * {@code stageRetries}: where stages wait between attempts and between polls of a long-running provider job,
     * and where the work resumes afterwards (blocking on its next provider call). Its own pool, one thread per
     * token the stages may have in flight, so a provider outage that puts every token in backoff never starves
     * Camel's shared scheduler (timers, aggregator timeouts) nor waits for a thread. Bound in Camel's registry
     * only: as a Spring bean, an Executor would displace Spring Boot's own task executor.
     */
    @Bean
    CamelContextConfiguration stageRetriesPool(ClaimSettings settings) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getRegistry().bind("stageRetries", camel.getExecutorServiceManager()
                        .newScheduledThreadPool(ClaimBeans.this, "stage-retry", 2 * settings.batchSize() + 2));
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing to do once started
            }
        };
    }
}
