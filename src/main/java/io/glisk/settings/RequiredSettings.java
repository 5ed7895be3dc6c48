package io.glisk.settings;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops start-up with one message naming every missing setting. A setting is required only while the
 * stage that uses it is enabled; in local mode the simulators' defaults fill most of them in.
 */
public class RequiredSettings implements EnvironmentPostProcessor, Ordered {

    /** A setting a stage cannot run without: its environment name and the property it feeds. */
    private record Requirement(String stage, String name, String property) {
    }

    private static final List<Requirement> REQUIRED = List.of(
            new Requirement("generation", "REPLICATE_API_TOKEN", "glisk.replicate.api-token"),
            new Requirement("ipfs", "PINATA_JWT", "glisk.pinata.jwt"));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> missing = new ArrayList<>();
        for (Requirement requirement : REQUIRED) {
            String value = environment.getProperty(requirement.property());
            if (environment.getProperty("glisk.stages." + requirement.stage() + ".enabled", Boolean.class, true)
                    && (value == null || value.isBlank())) {
                missing.add(requirement.name() + " (needed by the " + requirement.stage() + " stage; disable it with GLISK_STAGES_"
                        + requirement.stage().toUpperCase() + "_ENABLED=false)");
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidSettingsException("Missing required settings: " + String.join("; ", missing));
        }
    }

    @Override
    public int getOrder() {
        // after the configuration files are read
        return Ordered.LOWEST_PRECEDENCE;
    }
}
