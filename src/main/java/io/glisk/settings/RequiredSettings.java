package io.glisk.settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops start-up with one message naming every missing setting. A setting is required only while the
 * stage that uses it is enabled; in local mode the simulators' defaults fill most of them in.
 */
public class RequiredSettings implements EnvironmentPostProcessor, Ordered {

    /** Environment name of each required setting → the property it feeds, per stage. */
    private static final Map<String, Map<String, String>> REQUIRED_BY_STAGE = Map.of(
            "generation", Map.of("REPLICATE_API_TOKEN", "glisk.replicate.api-token"));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, List<String>> missing = new LinkedHashMap<>();
        REQUIRED_BY_STAGE.forEach((stage, settings) -> {
            if (!environment.getProperty("glisk.stages." + stage + ".enabled", Boolean.class, true)) {
                return;
            }
            settings.forEach((name, property) -> {
                String value = environment.getProperty(property);
                if (value == null || value.isBlank()) {
                    missing.computeIfAbsent(name, n -> new ArrayList<>()).add(stage);
                }
            });
        });
        if (!missing.isEmpty()) {
            List<String> lines = new ArrayList<>();
            missing.forEach((name, stages) -> lines.add(name + " (needed by the " + String.join(", ", stages)
                    + " stage; disable it with GLISK_STAGES_" + stages.get(0).toUpperCase() + "_ENABLED=false)"));
            throw new InvalidSettingsException("Missing required settings: " + String.join("; ", lines));
        }
    }

    @Override
    public int getOrder() {
        // after the configuration files are read
        return Ordered.LOWEST_PRECEDENCE;
    }
}
