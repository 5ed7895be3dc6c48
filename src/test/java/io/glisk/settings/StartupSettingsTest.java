package io.glisk.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glisk.GliskApplication;
import io.glisk.local.replicate.ReplicateSimulator;
import io.glisk.support.PipelineContextInitializer;
import io.glisk.support.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** What an operator sees when the configuration is wrong, and which mode the service picks. */
@ExtendWith(OutputCaptureExtension.class)
class StartupSettingsTest {

    private static ConfigurableApplicationContext start(String... args) {
        return start(Map.of(), args);
    }

    /** Starts the service as if {@code environment} were its process environment (plus the real one). */
    private static ConfigurableApplicationContext start(Map<String, Object> environment, String... args) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addAfter(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource("testEnvironment", environment));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server.port=" + PipelineContextInitializer.freePort());
        all.add("--LOCAL_CHAIN_PORT=" + PipelineContextInitializer.freePort());
        all.add("--GLISK_LOCAL_EPHEMERAL=true");
        return new SpringApplicationBuilder(GliskApplication.class).environment(env).run(all.toArray(String[]::new));
    }

    @Test
    void liveModeWithoutProviderCredentialsStopsWithOneMessageNamingThemAll(CapturedOutput output) {
        assertThatThrownBy(() -> start("--spring.datasource.url=" + TestDatabase.newDatabase(),
                "--spring.datasource.username=postgres"))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("Missing required settings: "
                        + "REPLICATE_API_TOKEN (needed by the generation stage; disable it with GLISK_STAGES_GENERATION_ENABLED=false); "
                        + "PINATA_JWT (needed by the ipfs stage; disable it with GLISK_STAGES_IPFS_ENABLED=false); "
                        + "RPC_URL (needed by the detection and reveal stages; disable them with "
                        + "GLISK_STAGES_DETECTION_ENABLED=false, GLISK_STAGES_REVEAL_ENABLED=false); "
                        + "GLISK_NFT_CONTRACT_ADDRESS (needed by the detection and reveal stages; disable them with "
                        + "GLISK_STAGES_DETECTION_ENABLED=false, GLISK_STAGES_REVEAL_ENABLED=false); "
                        + "ALCHEMY_WEBHOOK_SECRET (needed by the detection stage; disable it with GLISK_STAGES_DETECTION_ENABLED=false); "
                        + "CHAIN_ID (needed by the reveal stage; disable it with GLISK_STAGES_REVEAL_ENABLED=false); "
                        + "KEEPER_PRIVATE_KEY (needed by the reveal stage; disable it with GLISK_STAGES_REVEAL_ENABLED=false)");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Missing required settings: REPLICATE_API_TOKEN");
    }

    @Test
    void onlyTheSettingsOfEnabledStagesAndFeaturesAreRequired() {
        assertThatThrownBy(() -> start(Map.of("GLISK_STAGES_GENERATION_ENABLED", "false", "GLISK_STAGES_IPFS_ENABLED", "false",
                        "GLISK_STAGES_REVEAL_ENABLED", "false", "ALCHEMY_WEBHOOK_ENABLED", "false", "RPC_URL", "http://127.0.0.1:1"),
                "--spring.datasource.url=" + TestDatabase.newDatabase(), "--spring.datasource.username=postgres"))
                .hasMessage("Missing required settings: GLISK_NFT_CONTRACT_ADDRESS (needed by the detection stage; "
                        + "disable it with GLISK_STAGES_DETECTION_ENABLED=false)");
    }

    @Test
    void aSettingIsOnlyRequiredWhileItsStageIsEnabled() {
        try (ConfigurableApplicationContext live = start("--spring.datasource.url=" + TestDatabase.newDatabase(),
                "--spring.datasource.username=postgres", "--glisk.stages.generation.enabled=false",
                "--glisk.stages.ipfs.enabled=false", "--glisk.stages.detection.enabled=false",
                "--glisk.stages.reveal.enabled=false")) {
            assertThat(live.getEnvironment().getProperty("glisk.mode")).isEqualTo("live");
            // live mode never starts a simulator
            assertThat(live.getBeanNamesForType(ReplicateSimulator.class)).isEmpty();
            assertThat(live.getEnvironment().getActiveProfiles()).doesNotContain("local");
        }
    }

    @Test
    void localModeIsForcedByGliskModeEvenWithAnExternalDatabase() {
        try (ConfigurableApplicationContext local = start("--spring.datasource.url=" + TestDatabase.newDatabase(),
                "--spring.datasource.username=postgres", "--glisk.mode=local")) {
            assertThat(local.getBeanNamesForType(ReplicateSimulator.class)).hasSize(1);
            assertThat(local.getEnvironment().getProperty("glisk.replicate.base-url")).contains("/sim/replicate");
        }
    }

    @Test
    void unknownModeIsRefused() {
        assertThatThrownBy(() -> start("--glisk.mode=prod"))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("GLISK_MODE must be 'local' or 'live' (or unset), was 'prod'");
    }

    @Test
    void invalidNumbersAreRefusedWithTheSettingNamed(CapturedOutput output) {
        assertThatThrownBy(() -> start("--spring.datasource.url=" + TestDatabase.newDatabase(),
                "--spring.datasource.username=postgres", "--glisk.mode=local", "--WORKER_BATCH_SIZE=0"));
        assertThat(output).contains("WORKER_BATCH_SIZE must be between 1 and 1000");
    }

    @Test
    void malformedModelNameIsRefused(CapturedOutput output) {
        assertThatThrownBy(() -> start("--spring.datasource.url=" + TestDatabase.newDatabase(),
                "--spring.datasource.username=postgres", "--glisk.mode=local",
                "--REPLICATE_MODEL_VERSION=../../admin"));
        assertThat(output).contains("REPLICATE_MODEL_VERSION must be owner/name");
    }
}
