package io.glisk.local.avatar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.avatar.AvatarSettings;
import io.glisk.avatar.BasePrompts;
import io.glisk.avatar.ContentRefused;
import io.glisk.avatar.FlowiseAnswers;
import io.glisk.avatar.FlowiseClient;
import io.glisk.avatar.FlowiseRequests;
import io.glisk.avatar.GeneratedImage;
import io.glisk.avatar.GridSplitter;
import io.glisk.avatar.GridTile;
import io.glisk.avatar.OpenAiImages;
import io.glisk.avatar.Persona;
import io.glisk.avatar.PersonaBatch;
import io.glisk.avatar.StageHalted;
import io.glisk.avatar.TestAvatarSettings;
import io.glisk.image.ImageTypes;
import io.glisk.provider.TransientFailure;
import io.glisk.support.TestCircuits;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Flowise and OpenAI simulators over real HTTP, driven by the production clients: what the pipeline gets
 * from them in local mode, their faults, their counters — and that they exist in local mode only.
 */
class AvatarSimulatorsTest {

    /** The keys local mode configures (application-local.yml). */
    static final String OPENAI_KEY = "local-openai-key";
    static final String FLOWISE_KEY = "local-flowise-key";
    static SimulatorServer server;
    static OpenAiSimulator openai;
    static FlowiseSimulator flowise;
    static AvatarSettings settings;
    static OpenAiImages images;
    static FlowiseClient flows;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        server = new SimulatorServer(Map.ofEntries(
                Map.entry("server.port", "0"),
                Map.entry("spring.servlet.multipart.max-file-size", "60MB"),
                Map.entry("spring.servlet.multipart.max-request-size", "60MB"),
                Map.entry("glisk.simulators.openai.image-size", "384"),
                Map.entry("glisk.simulators.openai.latency-millis", "0"),
                Map.entry("glisk.simulators.flowise.latency-millis", "0"),
                Map.entry("glisk.simulators.flowise.incomplete-every", "7")), "local");
        openai = server.bean(OpenAiSimulator.class);
        flowise = server.bean(FlowiseSimulator.class);
        settings = TestAvatarSettings.bind("OPENAI_BASE_URL", server.baseUrl() + OpenAiSimulator.PATH,
                "OPENAI_API_KEY", OPENAI_KEY, "OPENAI_TIMEOUT_SECONDS", "2",
                "FLOWISE_URL", server.baseUrl() + FlowiseSimulator.PATH, "FLOWISE_API_KEY", FLOWISE_KEY,
                "FLOWISE_PERSONA_FLOW_ID", "sim-persona-flow", "FLOWISE_IMAGE_PROMPT_FLOW_ID", "sim-image-prompt-flow",
                "AVATAR_TRIM_NEAR_WHITE", "true");
        images = new OpenAiImages(settings, TestCircuits.neverOpen());
        flows = new FlowiseClient(settings, new FlowiseRequests(settings), new FlowiseAnswers(), TestCircuits.neverOpen());
    }

    @AfterAll
    static void stop() throws Exception {
        images.close();
        flows.close();
        server.close();
    }

    @BeforeEach
    @AfterEach
    void reset() {
        openai.reset();
        flowise.reset();
    }

    @Test
    void personaFlowAnswersTenPersonasACallInEveryShapeNowAndThenOneIncomplete() {
        List<Persona> personas = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int call = 0; call < 4; call++) {
            PersonaBatch batch = flows.personas(10, "Nurses in Texas who love the outdoors", "English");
            personas.addAll(batch.personas());
            skipped.addAll(batch.skipped());
        }

        assertThat(flowise.personaCalls()).isEqualTo(4);
        // 40 written, every 7th without its ethnicity; a name drawn twice in one answer is kept once
        assertThat(skipped).filteredOn(s -> s.endsWith("no ethnicity")).hasSize(5);
        assertThat(skipped).allSatisfy(s -> assertThat(s).matches(".*(no ethnicity|the same name as an earlier persona)"));
        assertThat(personas.size() + skipped.size()).isEqualTo(40);
        assertThat(personas).allSatisfy(p -> {
            assertThat(p.gender()).isIn("m", "f");
            assertThat(p.bios().facebookBio()).contains("{English}");
            assertThat(p.bios().age()).isBetween(22, 56);
            assertThat(p.bios().currentCity()).isNotBlank();
        });
    }

    @Test
    void imagePromptFlowAnswersAPromptForThePersonAvoidingTheScenesUsed() {
        Persona persona = flows.personas(3, "teachers", "English").personas().get(0);

        String first = flows.imagePrompt(persona, List.of());
        String second = flows.imagePrompt(persona, List.of(first));

        assertThat(first).contains(persona.firstname()).contains(persona.gender().equals("f") ? "woman" : "man");
        String firstScenes = first.substring(first.indexOf(": ") + 2);
        for (String scene : firstScenes.substring(0, firstScenes.indexOf('.')).split("; ")) {
            assertThat(second).doesNotContain(scene);
        }
        assertThat(flowise.imagePromptCalls()).isEqualTo(2);
    }

    @Test
    void baseImageIsAFaceAndTheGridShowsThatFaceFourTimesSplittable() throws Exception {
        Persona persona = flows.personas(1, "designers", "English").personas().get(0);
        String prompt = new BasePrompts(settings).basePrompt(persona);

        GeneratedImage base = images.generate(prompt);
        GeneratedImage grid = images.edit(base.png(), "Four photos: market; beach; office; bike");

        BufferedImage portrait = ImageIO.read(new ByteArrayInputStream(base.png()));
        assertThat(portrait.getWidth()).isEqualTo(384);
        assertThat(base.usage().outputTokens()).isPositive();
        assertThat(grid.usage().inputTokens()).isGreaterThan(194);
        List<GridTile> tiles = new GridSplitter(settings).split(grid.png());
        assertThat(tiles).allSatisfy(t -> assertThat(t).isInstanceOf(GridTile.Trimmed.class));
        List<byte[]> pictures = tiles.stream().map(t -> ((GridTile.Trimmed) t).png()).toList();
        assertThat(tiles).allSatisfy(t -> assertThat(((GridTile.Trimmed) t).width()).isLessThan(192).isGreaterThan(150));
        assertThat(pictures.stream().map(Arrays::hashCode).distinct()).as("four different poses").hasSize(4);
        assertThat(openai.generationsMade()).isEqualTo(1);
        assertThat(openai.generationsByPrompt()).containsEntry(prompt, 1);
        assertThat(openai.editsMade()).isEqualTo(1);
    }

    @Test
    void theGridIsDrawnFromThePersonInTheImageSent() {
        byte[] anaBase = images.generate("A casual selfie of a 30-year-old woman, Ana").png();
        byte[] benBase = images.generate("A casual selfie of a 41-year-old man, Ben").png();

        byte[] anaGrid = images.edit(anaBase, "Four photos").png();
        byte[] anaAgain = images.edit(anaBase, "Four photos").png();
        byte[] benGrid = images.edit(benBase, "Four photos").png();

        assertThat(anaAgain).as("the same face and prompt draw the same grid").isEqualTo(anaGrid);
        assertThat(benGrid).as("another face, another grid").isNotEqualTo(anaGrid);
    }

    @Test
    void wrongKeyIsOpenAisUnauthorizedAndTheKeyStaysOutOfTheMessage() throws Exception {
        openai.setAcceptedKey("sk-another-key-entirely");

        assertThatThrownBy(() -> images.generate("x")).isInstanceOf(StageHalted.class)
                .hasMessageContaining("HTTP 401 invalid_api_key").hasMessageNotContaining(OPENAI_KEY)
                // the simulator, as OpenAI, echoes the key half masked ("loc*********-key"): none of it is kept
                .hasMessageContaining("Incorrect API key provided: … You can find");
        HttpResponse<String> raw = post("/sim/openai/v1/images/generations", null, "application/json",
                "{\"model\":\"gpt-image-1.5\",\"prompt\":\"x\"}");
        assertThat(raw.statusCode()).isEqualTo(401);
        assertThat(json.readTree(raw.body()).at("/error/message").asText()).startsWith("You didn't provide an API key");
    }

    @Test
    void injectedFaultsAnswerAsOpenAiDoes() {
        openai.enqueue(OpenAiFault.of(OpenAiFault.Kind.MODERATION_BLOCKED), OpenAiFault.rateLimited(1500),
                OpenAiFault.of(OpenAiFault.Kind.INSUFFICIENT_QUOTA), OpenAiFault.of(OpenAiFault.Kind.SERVER_ERROR),
                OpenAiFault.slow(3000));

        assertThatThrownBy(() -> images.generate("x")).isInstanceOf(ContentRefused.class).hasMessageContaining("moderation_blocked");
        assertThatThrownBy(() -> images.generate("x")).isInstanceOf(TransientFailure.class)
                .satisfies(e -> assertThat(((TransientFailure) e).retryAfter()).isEqualTo(Duration.ofMillis(1500)));
        assertThatThrownBy(() -> images.generate("x")).isInstanceOf(StageHalted.class).hasMessageContaining("insufficient_quota");
        assertThatThrownBy(() -> images.generate("x")).isInstanceOf(TransientFailure.class).hasMessageContaining("HTTP 500");
        assertThatThrownBy(() -> images.generate("x")).isInstanceOf(TransientFailure.class)
                .hasMessage("OpenAI did not answer within 2 s");
        assertThatThrownBy(() -> images.generate("a nsfw selfie")).isInstanceOf(ContentRefused.class);
        // only the slow one was made (its picture is drawn within the latency, as the real API bills a request its
        // client stopped waiting for); the refusals made none
        assertThat(openai.generationsMade()).isEqualTo(1);
    }

    @Test
    void editsWithoutAnImageOrNotMultipartAreOpenAisBadRequests() throws Exception {
        HttpResponse<String> json400 = post("/sim/openai/v1/images/edits", OPENAI_KEY, "application/json", "{\"prompt\":\"x\"}");
        assertThat(json400.statusCode()).isEqualTo(400);
        String boundary = "b0undary";
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--" + boundary + "--\r\n";
        HttpResponse<String> noImage = post("/sim/openai/v1/images/edits", OPENAI_KEY,
                "multipart/form-data; boundary=" + boundary, form);
        assertThat(noImage.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(noImage.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("missing_required_parameter");
        assertThat(error.get("param").asText()).isEqualTo("image");
        assertThat(openai.editsMade()).isZero();
    }

    @Test
    void concurrentRequestsAreCountedForThroughputChecks() throws Exception {
        openai.setLatencyMillis(300);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<GeneratedImage>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            calls.add(pool.submit(() -> images.generate("selfie " + n)));
        }
        for (Future<GeneratedImage> call : calls) {
            assertThat(ImageTypes.sniff(call.get().png())).isEqualTo("image/png");
        }
        pool.shutdown();

        // the client lets OPENAI_MAX_CONCURRENT_REQUESTS (4) through at once, no more
        assertThat(openai.mostConcurrentRequests()).isEqualTo(4);
        assertThat(openai.generationsMade()).isEqualTo(8);
    }

    @Test
    void flowiseFaultsAndRefusalsAnswerAsFlowiseDoes() {
        flowise.enqueue(FlowiseFault.of(FlowiseFault.Kind.SERVER_ERROR), FlowiseFault.rateLimited(2000),
                FlowiseFault.of(FlowiseFault.Kind.NO_JSON), FlowiseFault.of(FlowiseFault.Kind.NO_JSON));

        assertThatThrownBy(() -> flows.personas(10, "d", "English")).isInstanceOf(TransientFailure.class)
                .hasMessageContaining("HTTP 500: Error: agentflowv2Service");
        assertThatThrownBy(() -> flows.personas(10, "d", "English")).isInstanceOf(TransientFailure.class)
                .satisfies(e -> assertThat(((TransientFailure) e).retryAfter()).isEqualTo(Duration.ofSeconds(2)));
        assertThat(flows.personas(10, "d", "English").personas()).isEmpty();
        Persona someone = new Persona("Ana", "Diaz", "f", "Hispanic", new Persona.Bios("fb", "ig", "x", "tt", 30,
                null, null, null, null, null, null, null, null, null));
        assertThatThrownBy(() -> flows.imagePrompt(someone, List.of())).isInstanceOf(TransientFailure.class)
                .hasMessageContaining("no final_prompt");

        flowise.setAcceptedKey("another-key");
        assertThatThrownBy(() -> flows.personas(10, "d", "English")).isInstanceOf(StageHalted.class)
                .hasMessageContaining("HTTP 401: Unauthorized Access").hasMessageNotContaining(FLOWISE_KEY);
    }

    @Test
    void unknownFlowIsNotFound() throws Exception {
        HttpResponse<String> answer = post("/sim/flowise/api/v1/prediction/no-such-flow", FLOWISE_KEY, "application/json",
                "{\"question\":\"go\"}");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(json.readTree(answer.body()).get("message").asText()).isEqualTo("Chatflow no-such-flow not found");
    }

    @Test
    void anAccountWithoutCreditCanBeSimulatedBySetting() throws Exception {
        try (SimulatorServer broke = new SimulatorServer(Map.of("server.port", "0",
                "glisk.simulators.openai.out-of-quota", "true"), "local");
             OpenAiImages client = new OpenAiImages(TestAvatarSettings.bind("OPENAI_BASE_URL",
                     broke.baseUrl() + OpenAiSimulator.PATH, "OPENAI_API_KEY", OPENAI_KEY), TestCircuits.neverOpen())) {
            assertThatThrownBy(() -> client.generate("x")).isInstanceOf(StageHalted.class)
                    .hasMessageContaining("insufficient_quota");
        }
    }

    @Test
    void outsideLocalModeTheSimulatorsDoNotExist() {
        try (SimulatorServer production = new SimulatorServer(Map.of("server.port", "0"))) {
            assertThat(production.context.getBeansOfType(OpenAiSimulator.class)).isEmpty();
            assertThat(production.context.getBeansOfType(FlowiseSimulator.class)).isEmpty();
        }
    }

    private HttpResponse<String> post(String path, String key, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
