package io.glisk.generation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.glisk.local.images.SimulatedImageRenderer;
import io.glisk.support.PipelineTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The production Replicate client against an independent peer (WireMock) answering the shapes Replicate
 * documents — not our own simulator — including its habit of naming api.replicate.com in urls.get.
 */
// the generation stage alone: tokens stop at uploading, with their kept image bytes
@TestPropertySource(properties = "glisk.stages.ipfs.enabled=false")
class ReplicateWireCompatibilityTest extends PipelineTest {

    static final WireMockServer replicateApi = new WireMockServer(options().dynamicPort());

    static {
        replicateApi.start();
    }

    @DynamicPropertySource
    static void pointAtThePeer(DynamicPropertyRegistry registry) {
        registry.add("glisk.replicate.base-url", replicateApi::baseUrl);
    }

    @AfterAll
    static void stopPeer() {
        replicateApi.stop();
    }

    @BeforeEach
    void resetPeer() {
        replicateApi.resetAll();
    }

    private static String prediction(String id, String status, String output) {
        return """
                {"id": "%s", "model": "black-forest-labs/flux-schnell", "version": "dp-4d0bcc010b3049749a251855f12800be",
                 "input": {"prompt": "a red fox"}, "logs": "", "output": %s, "data_removed": false, "error": null,
                 "status": "%s", "created_at": "2025-10-17T12:00:00.000Z",
                 "urls": {"cancel": "https://api.replicate.com/v1/predictions/%s/cancel",
                          "get": "https://api.replicate.com/v1/predictions/%s",
                          "stream": "https://stream.replicate.com/v1/files/abc",
                          "web": "https://replicate.com/p/%s"}}
                """.formatted(id, output, status, id, id, id);
    }

    @Test
    void startingPredictionIsPolledOnTheConfiguredOriginAndItsOutputKept() {
        String id = "gm3qorzdhgbfurvjtvhg6dckhu";
        String output = "[\"" + replicateApi.baseUrl() + "/xezq/abc/out-0.webp\"]";
        byte[] webp = new SimulatedImageRenderer().webp("a red fox", 64);
        replicateApi.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(prediction(id, "starting", "null"))));
        replicateApi.stubFor(get("/v1/predictions/" + id).inScenario("run").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(prediction(id, "processing", "null")))
                .willSetStateTo("done"));
        replicateApi.stubFor(get("/v1/predictions/" + id).inScenario("run").whenScenarioStateIs("done")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(prediction(id, "succeeded", output))));
        replicateApi.stubFor(get("/xezq/abc/out-0.webp")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream").withBody(webp)));
        detected(1, author("0xB0B0000000000000000000000000000000000001", "a red fox"));

        Map<String, Object> token = awaitStatus(1, "uploading");

        assertThat(token.get("generation_prediction_id")).isEqualTo(id);
        assertThat(jdbc.queryForObject("SELECT bytes FROM token_images WHERE token_id = 1", byte[].class)).isEqualTo(webp);
        // stored as what the bytes are, whatever the server claimed
        assertThat(jdbc.queryForObject("SELECT content_type FROM token_images WHERE token_id = 1", String.class))
                .isEqualTo("image/webp");
        replicateApi.verify(postRequestedFor(urlEqualTo("/v1/models/black-forest-labs/flux-schnell/predictions"))
                .withHeader("Authorization", equalTo("Bearer " + REPLICATE_TOKEN))
                .withHeader("Prefer", equalTo("wait"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"input\": {\"prompt\": \"a red fox\"}}")));
        replicateApi.verify(2, getRequestedFor(urlEqualTo("/v1/predictions/" + id))
                .withHeader("Authorization", equalTo("Bearer " + REPLICATE_TOKEN)));
        // the output host gets no credentials
        replicateApi.verify(getRequestedFor(urlEqualTo("/xezq/abc/out-0.webp")).withHeader("Authorization", absent()));
        // nothing of ours leaks into provider requests as headers
        List<LoggedRequest> requests = replicateApi.findAll(postRequestedFor(urlEqualTo(
                "/v1/models/black-forest-labs/flux-schnell/predictions")));
        assertThat(requests.get(0).getHeaders().keys()).noneMatch(h -> h.toLowerCase().startsWith("camel")
                || h.toLowerCase().contains("token_id") || h.toLowerCase().contains("prompt"));
    }

    @Test
    void throttleDetailWithoutRetryAfterHeaderIsHonoured() {
        String id = "throttledpredictionxyz0001";
        replicateApi.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions").inScenario("throttle")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"detail\":\"Request was throttled. Expected available in 1 second.\",\"status\":429}"))
                .willSetStateTo("open"));
        replicateApi.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions").inScenario("throttle")
                .whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(prediction(id, "succeeded", "[\"" + replicateApi.baseUrl() + "/out.png\"]"))));
        replicateApi.stubFor(get("/out.png").willReturn(aResponse().withStatus(200)
                .withBody(new SimulatedImageRenderer().png("x", 16))));
        detected(2, author("0xB0B0000000000000000000000000000000000002", "wait for it"));

        awaitStatus(2, "uploading");

        List<LoggedRequest> creates = replicateApi.findAll(postRequestedFor(urlEqualTo(
                "/v1/models/black-forest-labs/flux-schnell/predictions")));
        assertThat(creates).hasSize(2);
        assertThat(creates.get(1).getLoggedDate().getTime() - creates.get(0).getLoggedDate().getTime())
                .isGreaterThanOrEqualTo(950);
        assertThat(jdbc.queryForObject("SELECT content_type FROM token_images WHERE token_id = 2", String.class))
                .isEqualTo("image/png");
    }

    @Test
    void unknownModelIsAPermanentFailureWithReplicatesMessage() {
        replicateApi.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions")
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\":\"Not found\",\"detail\":\"The requested resource could not be found.\",\"status\":404}")));
        detected(3, author("0xB0B0000000000000000000000000000000000003", "nowhere"));

        assertThat(awaitStatus(3, "failed").get("generation_error"))
                .isEqualTo("Replicate answered HTTP 404: The requested resource could not be found.");
        assertThat(replicateApi.findAll(postRequestedFor(urlEqualTo(
                "/v1/models/black-forest-labs/flux-schnell/predictions")))).hasSize(1);
    }

    @Test
    void outputThatIsNotAnImageIsNeverStored() {
        String id = "notanimagepredictionxyz001";
        replicateApi.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(prediction(id, "succeeded", "[\"" + replicateApi.baseUrl() + "/evil.webp\"]"))));
        replicateApi.stubFor(get("/evil.webp").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/webp").withBody("<script>alert(1)</script>")));
        detected(4, author("0xB0B0000000000000000000000000000000000004", "html pretending"));

        Map<String, Object> token = awaitStatus(4, "failed");

        assertThat((String) token.get("generation_error")).startsWith("Attempts exhausted (3 of 3): download is not a PNG, WebP, JPEG or GIF image (25 bytes starting 3c7363726970743e)");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_images", Integer.class)).isZero();
    }

    @Test
    void synchronousAnswerWithTheImageInlineIsKeptWithoutAnotherRequest() {
        String id = "inlineoutputpredictionx001";
        byte[] webp = new SimulatedImageRenderer().webp("a blue heron", 64);
        // Replicate's fast image models answer "Prefer: wait" with the file itself; the media type is not trusted
        String output = "[\"data:image/png;base64," + Base64.getEncoder().encodeToString(webp) + "\"]";
        replicateApi.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(prediction(id, "succeeded", output))));
        detected(5, author("0xB0B0000000000000000000000000000000000005", "a blue heron"));

        Map<String, Object> token = awaitStatus(5, "uploading");

        assertThat(token.get("generation_prediction_id")).isEqualTo(id);
        assertThat(token.get("image_url")).isNull();
        assertThat(jdbc.queryForMap("SELECT content_type, bytes, source_url FROM token_images WHERE token_id = 5"))
                .containsEntry("content_type", "image/webp").containsEntry("bytes", webp).containsEntry("source_url", null);
        assertThat(replicateApi.findAll(getRequestedFor(urlMatching(".*")))).isEmpty();
    }

    @Test
    void inlineOutputThatIsNotAnImageIsNeverStored() {
        String id = "inlinenotanimagepredictio1";
        String output = "[\"data:image/webp;base64," + Base64.getEncoder().encodeToString(
                "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8)) + "\"]";
        replicateApi.stubFor(post("/v1/models/black-forest-labs/flux-schnell/predictions")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(prediction(id, "succeeded", output))));
        detected(6, author("0xB0B0000000000000000000000000000000000006", "html inline"));

        Map<String, Object> token = awaitStatus(6, "failed");

        assertThat((String) token.get("generation_error")).isEqualTo("Attempts exhausted (3 of 3): inline image is not "
                + "a PNG, WebP, JPEG or GIF image (25 bytes starting 3c7363726970743e)");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_images", Integer.class)).isZero();
    }
}
