package io.glisk.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glisk.GliskApplication;
import io.glisk.chain.ChainConnection;
import io.glisk.chain.GliskContract;
import io.glisk.local.replicate.ReplicateSimulator;
import io.glisk.support.FreePorts;
import io.glisk.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        all.add("--server.port=" + FreePorts.next());
        all.add("--LOCAL_CHAIN_PORT=" + FreePorts.next());
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
                        + "KEEPER_PRIVATE_KEY (needed by the reveal stage; disable it with GLISK_STAGES_REVEAL_ENABLED=false); "
                        + "OPENAI_API_KEY (needed by the avatar stage; disable it with GLISK_STAGES_AVATAR_ENABLED=false); "
                        + "FLOWISE_URL (needed by the avatar stage; disable it with GLISK_STAGES_AVATAR_ENABLED=false); "
                        + "FLOWISE_API_KEY (needed by the avatar stage; disable it with GLISK_STAGES_AVATAR_ENABLED=false); "
                        + "FLOWISE_PERSONA_FLOW_ID (needed by the avatar stage; disable it with GLISK_STAGES_AVATAR_ENABLED=false); "
                        + "FLOWISE_IMAGE_PROMPT_FLOW_ID (needed by the avatar stage; disable it with GLISK_STAGES_AVATAR_ENABLED=false); "
                        + "S3_ENDPOINT (needed by the avatar stage; disable it with GLISK_STAGES_AVATAR_ENABLED=false); "
                        + "S3_ACCESS_KEY (needed by the avatar stage; disable it with GLISK_STAGES_AVATAR_ENABLED=false); "
                        + "S3_SECRET_KEY (needed by the avatar stage; disable it with GLISK_STAGES_AVATAR_ENABLED=false); "
                        + "GLISK_ADMIN_USER and GLISK_ADMIN_PASSWORD (credentials for Hawtio, Jolokia, the admin API and the "
                        + "actuator; needed whatever stages run)");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Missing required settings: REPLICATE_API_TOKEN");
    }

    @Test
    void onlyTheSettingsOfEnabledStagesAndFeaturesAreRequired() {
        assertThatThrownBy(() -> start(Map.of("GLISK_STAGES_GENERATION_ENABLED", "false", "GLISK_STAGES_IPFS_ENABLED", "false",
                        "GLISK_STAGES_REVEAL_ENABLED", "false", "GLISK_STAGES_AVATAR_ENABLED", "false", "ALCHEMY_WEBHOOK_ENABLED", "false", "RPC_URL", "http://127.0.0.1:1",
                        "GLISK_ADMIN_USER", "ops", "GLISK_ADMIN_PASSWORD", "s3cret-admin"),
                "--spring.datasource.url=" + TestDatabase.newDatabase(), "--spring.datasource.username=postgres"))
                .hasMessage("Missing required settings: GLISK_NFT_CONTRACT_ADDRESS (needed by the detection stage; "
                        + "disable it with GLISK_STAGES_DETECTION_ENABLED=false)");
    }

    @Test
    void aSettingIsOnlyRequiredWhileItsStageIsEnabled() {
        try (ConfigurableApplicationContext live = start(Map.of("GLISK_ADMIN_USER", "ops", "GLISK_ADMIN_PASSWORD", "s3cret-admin"),
                "--spring.datasource.url=" + TestDatabase.newDatabase(),
                "--spring.datasource.username=postgres", "--glisk.stages.generation.enabled=false",
                "--glisk.stages.ipfs.enabled=false", "--glisk.stages.detection.enabled=false",
                "--glisk.stages.reveal.enabled=false", "--glisk.stages.avatar.enabled=false")) {
            assertThat(live.getEnvironment().getProperty("glisk.mode")).isEqualTo("live");
            // live mode never starts a simulator
            assertThat(live.getBeanNamesForType(ReplicateSimulator.class)).isEmpty();
            assertThat(live.getEnvironment().getActiveProfiles()).doesNotContain("local");
        }
    }

    @Test
    void liveModeWithoutAdminCredentialsStopsWhateverStagesRun(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("GLISK_ADMIN_USER", "ops"),
                "--spring.datasource.url=" + TestDatabase.newDatabase(), "--spring.datasource.username=postgres",
                "--glisk.stages.generation.enabled=false", "--glisk.stages.ipfs.enabled=false",
                "--glisk.stages.detection.enabled=false", "--glisk.stages.reveal.enabled=false",
                "--glisk.stages.avatar.enabled=false"))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessage("Missing required settings: GLISK_ADMIN_PASSWORD (credentials for Hawtio, Jolokia, the admin API "
                        + "and the actuator; needed whatever stages run)");
        assertThat(output).contains("APPLICATION FAILED TO START").contains("Missing required settings: GLISK_ADMIN_PASSWORD");
    }

    @Test
    void localModeMakesUpAnAdminPasswordAndPrintsItOnce(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext local = start("--spring.datasource.url=" + TestDatabase.newDatabase(),
                "--spring.datasource.username=postgres", "--glisk.mode=local", "--glisk.stages.generation.enabled=false",
                "--glisk.stages.ipfs.enabled=false", "--glisk.stages.detection.enabled=false",
                "--glisk.stages.reveal.enabled=false")) {
            Matcher banner = Pattern.compile("console +http://localhost:(\\d+)/ui/ +\\(Hawtio at /actuator/hawtio/\\) +user admin, password (\\S+) \\(generated")
                    .matcher(output.getOut());
            assertThat(banner.find()).as(output.getOut()).isTrue();
            String password = banner.group(2);
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);
            assertThat(output.getAll().split(Pattern.quote(password), -1)).hasSize(2);
            HttpClient http = HttpClient.newHttpClient();
            for (Map.Entry<String, Integer> attempt : Map.of("admin:" + password, 200, "admin:" + password + "x", 401).entrySet()) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + banner.group(1)
                                + "/actuator/prometheus")).header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                attempt.getKey().getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(attempt.getValue());
            }
        }
    }

    @Test
    void aViewerNeedsBothItsUserAndItsPassword() {
        assertThatThrownBy(() -> start(Map.of("GLISK_VIEWER_USER", "watcher"), "--glisk.mode=local",
                "--spring.datasource.url=" + TestDatabase.newDatabase(), "--spring.datasource.username=postgres"))
                .hasRootCauseInstanceOf(InvalidSettingsException.class)
                .rootCause().hasMessage("GLISK_VIEWER_USER and GLISK_VIEWER_PASSWORD go together: set both for a read-only "
                        + "account, or neither");
    }

    @Test
    void localModeIsForcedByGliskModeEvenWithAnExternalDatabase() {
        try (ConfigurableApplicationContext local = start("--spring.datasource.url=" + TestDatabase.newDatabase(),
                "--spring.datasource.username=postgres", "--glisk.mode=local")) {
            assertThat(local.getBeanNamesForType(ReplicateSimulator.class)).hasSize(1);
            assertThat(local.getEnvironment().getProperty("glisk.replicate.base-url")).contains("/sim/replicate");
        }
    }

    /** What docker-compose runs: simulated providers, but the chain (and contract) of its own anvil service. */
    @Test
    void localModeWithRpcUrlUsesThatChainAndStartsNoAnvil() throws Exception {
        String[] chainStagesOnly = {"--glisk.mode=local", "--spring.datasource.username=postgres",
                "--glisk.stages.generation.enabled=false", "--glisk.stages.ipfs.enabled=false",
                "--glisk.stages.detection.enabled=false", "--spring.jmx.enabled=false", "--camel.main.jmx-enabled=false"};
        try (ConfigurableApplicationContext owner = start(concat(chainStagesOnly,
                "--spring.datasource.url=" + TestDatabase.newDatabase()))) {
            ChainConnection anvil = owner.getBean(ChainConnection.class);
            GliskContract contract = owner.getBean(GliskContract.class);
            assertThat(owner.containsBean("localAnvil")).isTrue();

            assertThatThrownBy(() -> start(Map.of("RPC_URL", anvil.rpcUrl()), concat(chainStagesOnly,
                    "--spring.datasource.url=" + TestDatabase.newDatabase())))
                    .isInstanceOf(InvalidSettingsException.class)
                    .hasMessageContaining("CHAIN_ID (needed by the reveal stage")
                    .hasMessageContaining("GLISK_NFT_CONTRACT_ADDRESS (needed by the reveal stage")
                    .hasMessageContaining("KEEPER_PRIVATE_KEY (needed by the reveal stage");

            // a node on another chain than CHAIN_ID says: stopped before anything is signed or read
            assertThatThrownBy(() -> start(Map.of("RPC_URL", anvil.rpcUrl(), "CHAIN_ID", "8453",
                    "GLISK_NFT_CONTRACT_ADDRESS", anvil.contractAddress(),
                    "KEEPER_PRIVATE_KEY", anvil.keeperPrivateKey().value()), concat(chainStagesOnly,
                    "--spring.datasource.url=" + TestDatabase.newDatabase())))
                    .rootCause().isInstanceOf(InvalidSettingsException.class)
                    .hasMessage("CHAIN_ID is 8453 but the node at RPC_URL is on chain 31337 (eth_chainId): point RPC_URL "
                            + "at the chain you mean, or set CHAIN_ID=31337");

            try (ConfigurableApplicationContext guest = start(Map.of("RPC_URL", anvil.rpcUrl(), "CHAIN_ID", "31337",
                    "GLISK_NFT_CONTRACT_ADDRESS", anvil.contractAddress(),
                    "KEEPER_PRIVATE_KEY", anvil.keeperPrivateKey().value()), concat(chainStagesOnly,
                    "--spring.datasource.url=" + TestDatabase.newDatabase()))) {
                assertThat(guest.containsBean("localAnvil")).isFalse();
                assertThat(guest.getBean(ChainConnection.class).rpcUrl()).isEqualTo(anvil.rpcUrl());
                assertThat(guest.getBeanNamesForType(ReplicateSimulator.class)).hasSize(1);

                long before = contract.nextTokenId();
                HttpResponse<String> mint = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + guest.getEnvironment().getProperty("local.server.port") + "/api/local/mint"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"quantity\": 2}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(mint.statusCode()).as(mint.body()).isEqualTo(200);
                assertThat(contract.nextTokenId()).isEqualTo(before + 2);
            }
        }
    }

    private static String[] concat(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
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
    void aChainWebSocketUrlThatIsNoneIsRefusedWithoutShowingIt(CapturedOutput output) {
        for (String url : new String[] {"https://base.example/v2/key-7f3a9c", "ws://", "wss://node example/key-7f3a9c"}) {
            assertThatThrownBy(() -> start("--spring.datasource.url=" + TestDatabase.newDatabase(),
                    "--spring.datasource.username=postgres", "--glisk.mode=local", "--CHAIN_WS_URL=" + url));
        }
        assertThat(output).contains("CHAIN_WS_URL is not a ws:// or wss:// URL").doesNotContain("key-7f3a9c");
    }

    @Test
    void malformedModelNameIsRefused(CapturedOutput output) {
        assertThatThrownBy(() -> start("--spring.datasource.url=" + TestDatabase.newDatabase(),
                "--spring.datasource.username=postgres", "--glisk.mode=local",
                "--REPLICATE_MODEL_VERSION=../../admin"));
        assertThat(output).contains("REPLICATE_MODEL_VERSION must be owner/name");
    }
}
