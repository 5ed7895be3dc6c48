package io.glisk.avatar;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.glisk.provider.PermanentFailure;
import io.glisk.provider.TransientFailure;
import io.glisk.support.FreePorts;
import io.glisk.support.TestCircuits;
import java.awt.Color;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The image client against an independent HTTP peer (WireMock) answering what the OpenAI Images API documents:
 * the exact requests it sends, and every answer and error shape it must act on.
 */
class OpenAiWireCompatibilityTest {

    static final String KEY = "sk-proj-Wire0Test1Key2Never3Logged4";
    static final WireMockServer api = new WireMockServer(options().dynamicPort());
    static final byte[] PNG = TestImages.png(TestImages.canvas(64, 48, new Color(180, 120, 90)));

    OpenAiImages images;

    @BeforeAll
    static void start() {
        api.start();
    }

    @AfterAll
    static void stop() {
        api.stop();
    }

    @BeforeEach
    void client() {
        api.resetAll();
        images = new OpenAiImages(TestAvatarSettings.bind("OPENAI_BASE_URL", api.baseUrl(), "OPENAI_API_KEY", KEY,
                "OPENAI_TIMEOUT_SECONDS", "2"), TestCircuits.neverOpen());
    }

    @AfterEach
    void close() throws Exception {
        images.close();
    }

    static String imageAnswer(byte[] image) {
        return """
                {"created": 1713833628, "background": "opaque", "output_format": "png", "quality": "high",
                 "size": "1024x1536",
                 "data": [{"b64_json": "%s"}],
                 "usage": {"input_tokens": 50, "input_tokens_details": {"image_tokens": 40, "text_tokens": 10},
                           "output_tokens": 6240, "total_tokens": 6290}}
                """.formatted(Base64.getEncoder().encodeToString(image));
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static String error(String message, String type, String code) {
        return """
                {"error": {"message": "%s", "type": "%s", "param": null, "code": %s}}
                """.formatted(message, type, code == null ? "null" : "\"" + code + "\"");
    }

    @Test
    void generationSendsExactlyTheDocumentedRequestAndReadsImageAndUsage() {
        api.stubFor(post("/v1/images/generations").willReturn(json(200, imageAnswer(PNG))));

        GeneratedImage image = images.generate("A casual selfie of a 29-year-old woman — «café» ☕");

        assertThat(image.png()).isEqualTo(PNG);
        assertThat(image.usage()).isEqualTo(new ImageUsage(50, 6240, 6290));
        api.verify(postRequestedFor(urlEqualTo("/v1/images/generations"))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"model": "gpt-image-1.5", "prompt": "A casual selfie of a 29-year-old woman — «café» ☕",
                         "size": "auto", "n": 1}""")));
    }

    @Test
    void editSendsTheBaseImageAsImageArrayPartWithPromptModelNAndSize() {
        api.stubFor(post("/v1/images/edits").willReturn(json(200, imageAnswer(PNG))));
        byte[] base = TestImages.png(TestImages.canvas(32, 32, Color.PINK));

        GeneratedImage grid = images.edit(base, "Four photos of the same woman: hiking, café, office, beach — «ü»");

        assertThat(grid.png()).isEqualTo(PNG);
        api.verify(postRequestedFor(urlEqualTo("/v1/images/edits"))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withHeader("Content-Type", containing("multipart/form-data; boundary="))
                .withRequestBodyPart(aMultipart().withName("image[]")
                        .withHeader("Content-Type", equalTo("image/png"))
                        .withHeader("Content-Disposition", containing("filename=\"base.png\""))
                        .withBody(binaryEqualTo(base)).build())
                .withRequestBodyPart(aMultipart().withName("prompt")
                        .withBody(equalTo("Four photos of the same woman: hiking, café, office, beach — «ü»")).build())
                .withRequestBodyPart(aMultipart().withName("model").withBody(equalTo("gpt-image-1.5")).build())
                .withRequestBodyPart(aMultipart().withName("n").withBody(equalTo("1")).build())
                .withRequestBodyPart(aMultipart().withName("size").withBody(equalTo("auto")).build()));
        LoggedRequest request = api.findAll(postRequestedFor(urlEqualTo("/v1/images/edits"))).get(0);
        assertThat(request.getParts()).extracting(p -> p.getName()).containsExactly("image[]", "prompt", "model", "n", "size");
    }

    @Test
    void jpegAnswerIsStoredAsRealPng() {
        byte[] jpeg = TestImages.jpeg(TestImages.canvas(40, 40, Color.ORANGE), 0.9f);
        api.stubFor(post("/v1/images/generations").willReturn(json(200, imageAnswer(jpeg).replace("\"png\"", "\"jpeg\""))));

        byte[] png = images.generate("x").png();

        assertThat(io.glisk.image.ImageTypes.sniff(png)).isEqualTo("image/png");
        assertThat(TestImages.read(png).getWidth()).isEqualTo(40);
    }

    @Test
    void moderationRefusalsAreContentRefusedNotRetried() {
        api.stubFor(post("/v1/images/generations").willReturn(json(400, error(
                "Your request was rejected by the safety system. safety_violations=[sexual].",
                "image_generation_user_error", "moderation_blocked"))));
        assertThatThrownBy(() -> images.generate("x")).isInstanceOf(ContentRefused.class)
                .hasMessageContaining("HTTP 400 moderation_blocked").hasMessageContaining("safety system");

        api.stubFor(post("/v1/images/edits").willReturn(json(400, error(
                "Your request was rejected as a result of our safety system.", "invalid_request_error",
                "content_policy_violation"))));
        assertThatThrownBy(() -> images.edit(PNG, "x")).isInstanceOf(ContentRefused.class)
                .hasMessageContaining("content_policy_violation");
    }

    @Test
    void rateLimitIsTransientAndTellsHowLongToWait() {
        api.stubFor(post("/v1/images/generations").willReturn(json(429, error(
                "Rate limit reached for gpt-image-1.5 on images per minute. Please try again in 20s.",
                "requests", "rate_limit_exceeded")).withHeader("retry-after-ms", "1500").withHeader("retry-after", "2")));
        assertThat(transient_().retryAfter()).isEqualTo(Duration.ofMillis(1500));

        api.stubFor(post("/v1/images/generations").willReturn(json(429, error("Rate limit reached.", "requests",
                "rate_limit_exceeded")).withHeader("retry-after", "3")));
        assertThat(transient_().retryAfter()).isEqualTo(Duration.ofSeconds(3));

        api.stubFor(post("/v1/images/generations").willReturn(json(429, error(
                "Rate limit reached for images per minute. Please try again in 2.5s.", "requests", "rate_limit_exceeded"))));
        assertThat(transient_().retryAfter()).isEqualTo(Duration.ofMillis(2500));
        assertThat(transient_().getMessage()).contains("HTTP 429 rate_limit_exceeded");
    }

    @Test
    void serverErrorsAndProxyPagesAreTransient() {
        api.stubFor(post("/v1/images/generations").willReturn(json(500, error(
                "The server had an error while processing your request. Sorry about that!", "server_error", null))));
        assertThat(transient_().getMessage()).isEqualTo(
                "OpenAI answered HTTP 500: The server had an error while processing your request. Sorry about that!");
        api.stubFor(post("/v1/images/generations").willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "text/html").withBody("<html><body>503 Service Unavailable</body></html>")));
        assertThat(transient_().getMessage()).isEqualTo("OpenAI answered HTTP 503");
    }

    @Test
    void noQuotaOrARefusedKeyStopsTheStageWithoutShowingTheKey() {
        api.stubFor(post("/v1/images/generations").willReturn(json(429, error(
                "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota",
                "insufficient_quota"))));
        assertThatThrownBy(() -> images.generate("x")).isInstanceOf(StageHalted.class)
                .hasMessageContaining("insufficient_quota").satisfies(e -> assertThat(((StageHalted) e).provider()).isEqualTo("OpenAI"));

        // OpenAI echoes (part of) the key it was given
        api.stubFor(post("/v1/images/edits").willReturn(json(401, error("Incorrect API key provided: " + KEY
                + ". You can find your API key at https://platform.openai.com/account/api-keys.",
                "invalid_request_error", "invalid_api_key"))));
        assertThatThrownBy(() -> images.edit(PNG, "x")).isInstanceOf(StageHalted.class)
                .hasMessageContaining("HTTP 401 invalid_api_key").hasMessageNotContaining(KEY)
                .hasMessageNotContaining("Wire0Test1Key");
        api.stubFor(post("/v1/images/edits").willReturn(json(401, error(
                "Incorrect API key provided: sk-proj-********************************************ged4.",
                "invalid_request_error", "invalid_api_key"))));
        assertThatThrownBy(() -> images.edit(PNG, "x")).hasMessageNotContaining("ged4");

        api.stubFor(post("/v1/images/generations").willReturn(json(404, error(
                "The model `gpt-image-9` does not exist or you do not have access to it.", "invalid_request_error",
                "model_not_found"))));
        assertThatThrownBy(() -> images.generate("x")).isInstanceOf(StageHalted.class).hasMessageContaining("gpt-image-9");
    }

    @Test
    void otherBadRequestsFailThatImageWithTheApisMessage() {
        api.stubFor(post("/v1/images/edits").willReturn(json(400, error(
                "Invalid value: 'huge'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.",
                "invalid_request_error", "invalid_value"))));

        assertThatThrownBy(() -> images.edit(PNG, "x")).isExactlyInstanceOf(PermanentFailure.class)
                .hasMessageContaining("Supported values are");
    }

    @Test
    void answersWithoutAUsableImageAreTransient() {
        api.stubFor(post("/v1/images/generations").willReturn(json(200, "{\"created\": 1, \"data\": []}")));
        assertThat(transient_().getMessage()).isEqualTo("OpenAI answered without data[0].b64_json");
        api.stubFor(post("/v1/images/generations").willReturn(json(200, imageAnswer("not an image".getBytes()))));
        assertThat(transient_().getMessage()).startsWith("OpenAI answered an unusable image");
        api.stubFor(post("/v1/images/generations").willReturn(json(200, "{\"data\": [{\"b64_json\": \"")));
        assertThat(transient_().getMessage()).isEqualTo("OpenAI answered malformed JSON");
        byte[] png = TestImages.png(TestImages.canvas(16, 16, Color.RED));
        api.stubFor(post("/v1/images/generations").willReturn(json(200, imageAnswer(java.util.Arrays.copyOf(png, png.length / 2)))));
        assertThat(transient_().getMessage()).contains("damaged or truncated");
    }

    @Test
    void ourOwnBadInputNeverReachesTheApi() {
        assertThatThrownBy(() -> images.generate(" ")).isInstanceOf(PermanentFailure.class);
        assertThatThrownBy(() -> images.generate("p".repeat(32_001))).isInstanceOf(PermanentFailure.class);
        assertThatThrownBy(() -> images.edit(TestImages.jpeg(TestImages.canvas(8, 8, Color.RED), 0.9f), "x"))
                .isInstanceOf(PermanentFailure.class).hasMessageContaining("not a PNG");
        assertThat(api.getAllServeEvents()).isEmpty();
    }

    @Test
    void noAnswerInTimeAndNoServerAreTransientAndKeyFree() throws Exception {
        api.stubFor(post("/v1/images/generations").willReturn(json(200, imageAnswer(PNG)).withFixedDelay(4000)));
        assertThat(transient_().getMessage()).isEqualTo("OpenAI did not answer within 2 s");

        int closedPort = FreePorts.next();
        try (OpenAiImages nowhere = new OpenAiImages(TestAvatarSettings.bind("OPENAI_BASE_URL",
                "http://127.0.0.1:" + closedPort, "OPENAI_API_KEY", KEY), TestCircuits.neverOpen())) {
            assertThatThrownBy(() -> nowhere.generate("x")).isInstanceOf(TransientFailure.class)
                    .hasMessageStartingWith("OpenAI could not be reached").hasMessageNotContaining(KEY);
        }
    }

    @Test
    void allCallsShareTheConcurrencyLimit() throws Exception {
        api.stubFor(post("/v1/images/generations").willReturn(json(200, imageAnswer(PNG)).withFixedDelay(400)));
        api.stubFor(post("/v1/images/edits").willReturn(json(200, imageAnswer(PNG)).withFixedDelay(400)));
        try (OpenAiImages limited = new OpenAiImages(TestAvatarSettings.bind("OPENAI_BASE_URL", api.baseUrl(),
                "OPENAI_API_KEY", KEY, "OPENAI_MAX_CONCURRENT_REQUESTS", "2"), TestCircuits.neverOpen())) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            long start = System.nanoTime();
            List<Future<GeneratedImage>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                calls.add(pool.submit(() -> n % 2 == 0 ? limited.generate("g" + n) : limited.edit(PNG, "e" + n)));
            }
            for (Future<GeneratedImage> call : calls) {
                assertThat(call.get().png()).isEqualTo(PNG);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            pool.shutdown();
            // 6 calls of 400 ms, 2 at a time: three rounds, never fewer; and not one after another
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1200)).isLessThan(Duration.ofMillis(2400));
        }
    }

    private TransientFailure transient_() {
        try {
            images.generate("x");
        } catch (TransientFailure e) {
            return e;
        }
        throw new AssertionError("expected a transient failure");
    }
}
