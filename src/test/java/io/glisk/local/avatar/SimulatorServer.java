package io.glisk.local.avatar;

import io.glisk.local.LocalSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.MultipartAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The avatar simulators (OpenAI, Flowise, S3) alone in an embedded Tomcat on a free port — real HTTP and multipart parsing, none of
 * the application's database, Camel or security — so the production clients can be pointed at them. Configured
 * by application-local.yml and application.yml, under the properties given here.
 */
final class SimulatorServer implements AutoCloseable {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
            ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
            MultipartAutoConfiguration.class})
    @EnableConfigurationProperties({OpenAiSimulatorSettings.class, FlowiseSimulatorSettings.class,
            S3SimulatorSettings.class, LocalSettings.class})
    @Import({OpenAiSimulator.class, FlowiseSimulator.class, S3Simulator.class})
    static class Slice {
    }

    final AnnotationConfigServletWebServerApplicationContext context = new AnnotationConfigServletWebServerApplicationContext();

    SimulatorServer(Map<String, Object> properties, String... profiles) {
        context.getEnvironment().setActiveProfiles(profiles);
        var sources = context.getEnvironment().getPropertySources();
        sources.addFirst(new MapPropertySource("simulators", properties));
        // the S3 simulator's objects in a temporary directory, gone with the server
        sources.addLast(new MapPropertySource("ephemeral", Map.of("glisk.local.ephemeral", "true")));
        for (String block : new String[] {"application-local.yml", "application.yml"}) {
            try {
                new YamlPropertySourceLoader().load(block, new ClassPathResource(block)).forEach(sources::addLast);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        context.register(Slice.class);
        context.refresh();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + context.getWebServer().getPort();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
