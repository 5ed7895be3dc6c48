package io.glisk.settings;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides between local and live mode before the configuration files are read, so that local mode can
 * switch on the {@code local} profile (application-local.yml: simulators, embedded database defaults).
 * Only the environment, system properties and the command line can choose the mode: that is where
 * operators set GLISK_MODE and SPRING_DATASOURCE_URL.
 */
public class RunModeEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        RunMode mode = RunMode.resolve(
                firstNonBlank(environment.getProperty(RunMode.PROPERTY), environment.getProperty("GLISK_MODE")),
                environment.getProperty("spring.datasource.url"));
        environment.getPropertySources().addFirst(
                new MapPropertySource("gliskRunMode", Map.of(RunMode.PROPERTY, mode.name().toLowerCase())));
        if (mode == RunMode.LOCAL) {
            environment.addActiveProfile(RunMode.LOCAL_PROFILE);
        }
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    @Override
    public int getOrder() {
        // before ConfigDataEnvironmentPostProcessor (HIGHEST_PRECEDENCE + 10) so profile files are picked up
        return Ordered.HIGHEST_PRECEDENCE + 5;
    }
}
