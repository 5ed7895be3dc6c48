package io.glisk.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glisk.support.PipelineTest;
import io.glisk.support.RoutesFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Changing a route of the running service by dropping a YAML file in GLISK_ROUTES_DIR. */
@TestPropertySource(properties = {"glisk.stages.ipfs.enabled=false", "glisk.stages.reveal.enabled=false",
        "glisk.stages.detection.enabled=false", "glisk.routes-poll-millis=200"})
@ExtendWith(OutputCaptureExtension.class)
class RouteOverridesTest extends PipelineTest {

    static final Path routes = RoutesFolder.create();

    @DynamicPropertySource
    static void routesDir(DynamicPropertyRegistry registry) {
        registry.add("glisk.routes-dir", routes::toString);
    }

    /** The packaged fallback route, with another fallback prompt: what an operator would write. */
    static final String FALLBACK_OVERRIDE = """
            - route:
                id: generation-censored-fallback
                routeConfigurationId: propagate-errors
                from:
                  uri: direct:generation-censored-fallback
                  steps:
                    - setVariable:
                        name: prompt
                        constant: "A calm grey sea at dawn (fallback chosen by the operator)"
                    - setVariable:
                        name: censored
                        constant: "true"
                    - to: direct:generate-image
                    - filter:
                        simple: "${variable.content_policy_refusal} != null"
                        steps:
                          - throwException:
                              exceptionType: io.glisk.provider.PermanentFailure
                              message: "refused twice"
            """;

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Value("${glisk.prompts.fallback-censored}")
    String packagedFallback;

    @AfterEach
    void removeOverrides() throws IOException {
        try (var files = Files.list(routes)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getRoute("custom-echo") == null);
        awaitPackagedRoutes(camel, routes, "generation-censored-fallback");
    }

    private void write(String name, String yaml) throws IOException {
        dropRouteFile(routes, name, yaml);
    }

    private String fallbackUsedFor(long tokenId, String nsfwPrompt) {
        detected(tokenId, author("0x9999" + "0".repeat(34) + String.format("%02d", tokenId), nsfwPrompt));
        awaitStatus(tokenId, "uploading");
        return replicate.predictionsByPrompt().keySet().stream().filter(p -> !p.equals(nsfwPrompt)).findFirst().orElseThrow();
    }

    @Test
    void aChangedRouteTakesEffectWhileRunningAndTheOriginalComesBackWhenTheFileGoes(CapturedOutput output) throws Exception {
        write("fallback.yaml", FALLBACK_OVERRIDE);
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("routes.override_applied"));

        assertThat(fallbackUsedFor(1, "nsfw one")).isEqualTo("A calm grey sea at dawn (fallback chosen by the operator)");
        assertThat(camel.getRoute("generation").getUptimeMillis()).isGreaterThan(0); // the stage itself kept running

        replicate.reset();
        Files.delete(routes.resolve("fallback.yaml"));
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("routes.override_reverted"));

        assertThat(fallbackUsedFor(2, "nsfw two")).isEqualTo(packagedFallback);
    }

    @Test
    void anInvalidFileIsRejectedAndThePreviousVersionKeepsRunning(CapturedOutput output) throws Exception {
        write("fallback.yaml", FALLBACK_OVERRIDE);
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("routes.override_applied"));

        write("fallback.yaml", FALLBACK_OVERRIDE.replace("steps:\n", "steps\n"));
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("routes.override_rejected"));

        assertThat(fallbackUsedFor(3, "nsfw three")).isEqualTo("A calm grey sea at dawn (fallback chosen by the operator)");
    }

    @Test
    void aRouteThatCannotStartIsRejectedAndThePreviousVersionKeepsRunning(CapturedOutput output) throws Exception {
        write("broken.yaml", """
                - route:
                    id: generation-censored-fallback
                    from:
                      uri: direct:generation-censored-fallback
                      steps:
                        - to: no-such-component:anywhere
                """);
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("routes.override_rejected"));

        assertThat(output.getAll()).contains("no-such-component");
        assertThat(fallbackUsedFor(4, "nsfw four")).isEqualTo(packagedFallback);
    }

    @Test
    void aNewRouteIsAdded() throws Exception {
        write("echo.camel.yaml", """
                - route:
                    id: custom-echo
                    from:
                      uri: direct:custom-echo
                      steps:
                        - setBody:
                            simple: "echo: ${body}"
                """);

        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getRoute("custom-echo") != null);
        assertThat(producer.requestBody("direct:custom-echo", "hello", String.class)).isEqualTo("echo: hello");
    }
}
