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

    /**
     * A setting a stage cannot run without: its environment name, the property it feeds, and the switch that
     * must be on as well for it to matter (besides the stage's own). A requirement with no stage holds whatever
     * stages run; {@code purpose} then says what it is for.
     */
    private record Requirement(String stage, String name, String property, String alsoWhen, String purpose) {

        Requirement(String stage, String name, String property) {
            this(stage, name, property, null, null);
        }

        Requirement(String stage, String name, String property, String alsoWhen) {
            this(stage, name, property, alsoWhen, null);
        }

        /** Needed by every instance; local mode fills it in itself. */
        static Requirement always(String name, String purpose) {
            return new Requirement(null, name, name, null, purpose);
        }
    }

    private static final String ADMIN_PURPOSE = "credentials for Hawtio, Jolokia, the admin API and the actuator; "
            + "needed whatever stages run";

    private static final List<Requirement> REQUIRED = List.of(
            new Requirement("generation", "REPLICATE_API_TOKEN", "glisk.replicate.api-token"),
            new Requirement("ipfs", "PINATA_JWT", "glisk.pinata.jwt"),
            new Requirement("detection", "RPC_URL", "glisk.chain.rpc-url"),
            new Requirement("detection", "GLISK_NFT_CONTRACT_ADDRESS", "glisk.chain.contract-address"),
            new Requirement("detection", "ALCHEMY_WEBHOOK_SECRET", "glisk.detection.webhook-secret",
                    "glisk.detection.webhook-enabled"),
            new Requirement("reveal", "RPC_URL", "glisk.chain.rpc-url"),
            new Requirement("reveal", "CHAIN_ID", "glisk.chain.chain-id"),
            new Requirement("reveal", "GLISK_NFT_CONTRACT_ADDRESS", "glisk.chain.contract-address"),
            new Requirement("reveal", "KEEPER_PRIVATE_KEY", "glisk.chain.keeper-private-key"),
            new Requirement("avatar", "OPENAI_API_KEY", "glisk.avatar.openai.api-key"),
            new Requirement("avatar", "FLOWISE_URL", "glisk.avatar.flowise.url"),
            new Requirement("avatar", "FLOWISE_API_KEY", "glisk.avatar.flowise.api-key"),
            new Requirement("avatar", "FLOWISE_PERSONA_FLOW_ID", "glisk.avatar.flowise.persona-flow-id"),
            new Requirement("avatar", "FLOWISE_IMAGE_PROMPT_FLOW_ID", "glisk.avatar.flowise.image-prompt-flow-id"),
            // the public URLs of the pictures are built from it (for Amazon S3: https://s3.<region>.amazonaws.com)
            new Requirement("avatar", "S3_ENDPOINT", "glisk.avatar.s3.endpoint"),
            new Requirement("avatar", "S3_ACCESS_KEY", "glisk.avatar.s3.access-key"),
            new Requirement("avatar", "S3_SECRET_KEY", "glisk.avatar.s3.secret-key"),
            // local mode generates the admin password and prints it (io.glisk.ops.AdminCredentials)
            Requirement.always("GLISK_ADMIN_USER", ADMIN_PURPOSE),
            Requirement.always("GLISK_ADMIN_PASSWORD", ADMIN_PURPOSE));

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, List<String>> missing = new LinkedHashMap<>();
        // purpose -> names, so that the admin user and password are named together
        Map<String, List<String>> missingAlways = new LinkedHashMap<>();
        boolean local = RunMode.isLocal(environment);
        boolean ownChain = RunMode.startsOwnChain(environment);
        for (Requirement requirement : REQUIRED) {
            String value = environment.getProperty(requirement.property());
            if (requirement.stage() == null) {
                if (!local && (value == null || value.isBlank())) {
                    missingAlways.computeIfAbsent(requirement.purpose(), p -> new ArrayList<>()).add(requirement.name());
                }
                continue;
            }
            boolean needed = environment.getProperty("glisk.stages." + requirement.stage() + ".enabled", Boolean.class, true)
                    && (requirement.alsoWhen() == null || environment.getProperty(requirement.alsoWhen(), Boolean.class, true))
                    // local mode's own chain supplies the chain settings
                    && !(ownChain && requirement.property().startsWith("glisk.chain."));
            if (needed && (value == null || value.isBlank())) {
                missing.computeIfAbsent(requirement.name(), n -> new ArrayList<>()).add(requirement.stage());
            }
        }
        if (!missing.isEmpty() || !missingAlways.isEmpty()) {
            List<String> lines = new ArrayList<>();
            missing.forEach((name, stages) -> lines.add(name + " (needed by the " + String.join(" and ", stages)
                    + (stages.size() == 1 ? " stage; disable it with " : " stages; disable them with ")
                    + String.join(", ", stages.stream().map(s -> "GLISK_STAGES_" + s.toUpperCase() + "_ENABLED=false").toList())
                    + ")"));
            missingAlways.forEach((purpose, names) -> lines.add(String.join(" and ", names) + " (" + purpose + ")"));
            throw new InvalidSettingsException("Missing required settings: " + String.join("; ", lines));
        }
    }

    @Override
    public int getOrder() {
        // after the configuration files are read
        return Ordered.LOWEST_PRECEDENCE;
    }
}
