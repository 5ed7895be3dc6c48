package io.glisk.avatar;

import io.glisk.settings.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Binds {@link AvatarSettings} as the application does — application.yml, the environment given here,
 * the application's Secret converter and bean validation — without starting the application.
 */
public final class TestAvatarSettings {

    private TestAvatarSettings() {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AvatarSettings.class)
    // the application's String → Secret converter, and nothing else of its settings package
    @ComponentScan(basePackageClasses = Secret.class, useDefaultFilters = false,
            includeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*SecretConverter"))
    static class Binding {
    }

    /** A context runner with application.yml and {@code environment} (variable name → value) as its property sources. */
    public static ApplicationContextRunner runner(Map<String, String> environment) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
                        ValidationAutoConfiguration.class))
                .withUserConfiguration(Binding.class)
                .withInitializer(context -> {
                    var sources = context.getEnvironment().getPropertySources();
                    // the environment first, as the system environment outranks application.yml
                    sources.addFirst(new MapPropertySource("test-environment", new LinkedHashMap<>(environment)));
                    yamlBlock().forEach(sources::addLast);
                });
    }

    /** The settings for {@code environment}, given as name, value, name, value, … */
    public static AvatarSettings bind(String... environment) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i + 1 < environment.length; i += 2) {
            env.put(environment[i], environment[i + 1]);
        }
        AvatarSettings[] bound = new AvatarSettings[1];
        runner(env).run(context -> {
            if (context.getStartupFailure() != null) {
                throw new IllegalArgumentException("avatar settings do not bind", context.getStartupFailure());
            }
            bound[0] = context.getBean(AvatarSettings.class);
        });
        return bound[0];
    }

    private static List<PropertySource<?>> yamlBlock() {
        try {
            return new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
