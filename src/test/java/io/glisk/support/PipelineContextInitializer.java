package io.glisk.support;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives each test application context its own database on the shared test PostgreSQL server and a free
 * HTTP port known before start-up (the local simulators' URLs are built from it). It runs first, so a test's
 * own initializer can build on these settings.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class PipelineContextInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestDatabase.closeBeforeTheServer(context);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("gliskTest", Map.of(
                "spring.datasource.url", TestDatabase.newDatabase(),
                "spring.datasource.username", "postgres",
                "server.port", FreePorts.next(),
                "glisk.local.chain-port", FreePorts.next(),
                "glisk.local.ephemeral", "true")));
    }
}
