package io.glisk.avatar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.glisk.provider.PermanentFailure;
import io.glisk.provider.TransientFailure;
import io.glisk.support.TestCircuits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Flowise client against an independent HTTP peer answering as a Flowise server does. */
class FlowiseWireCompatibilityTest {

    static final String KEY = "JJXI5CYV55QYkal9-wire-test-key";
    static final String PERSONA_FLOW = "5171a0ec-8235-4db6-bc08-b23e4e22e641";
    static final String PROMPT_FLOW = "9d0e8c7b-1111-4222-8333-444455556666";
    static final WireMockServer flowise = new WireMockServer(options().dynamicPort());
    static final ObjectMapper JSON = new ObjectMapper();

    FlowiseClient client;

    @BeforeAll
    static void start() {
        flowise.start();
    }

    @AfterAll
    static void stop() {
        flowise.stop();
    }

    @BeforeEach
    void client() {
        flowise.resetAll();
        client = client(TestAvatarSettings.bind("FLOWISE_URL", flowise.baseUrl() + "/", "FLOWISE_API_KEY", KEY,
                "FLOWISE_PERSONA_FLOW_ID", PERSONA_FLOW, "FLOWISE_IMAGE_PROMPT_FLOW_ID", PROMPT_FLOW,
                "FLOWISE_TIMEOUT_SECONDS", "2",
                "AVATAR_BIO_INSTRUCTIONS_FACEBOOK", "Warm, first person, 3 sentences",
                "AVATAR_BIO_INSTRUCTIONS_INSTAGRAM", "Short lines, emoji allowed",
                "AVATAR_BIO_INSTRUCTIONS_X", "Under 160 characters", "AVATAR_BIO_INSTRUCTIONS_TIKTOK", "Playful"));
    }

    static FlowiseClient client(AvatarSettings settings) {
        return new FlowiseClient(settings, new FlowiseRequests(settings), new FlowiseAnswers(), TestCircuits.neverOpen());
    }

    @AfterEach
    void close() throws Exception {
        client.close();
    }

    static ResponseDefinitionBuilder answer(String text) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(FlowiseAnswersTest.answer(text));
    }

    @Test
    void personaRequestIsTheAgentFlowStartStateAndTheAnswerIsParsed() {
        String text = "```json\n" + FlowiseAnswersTest.persona("Ana", "Díaz", "f", FlowiseAnswersTest.bios("Hola"))
                + FlowiseAnswersTest.persona("Ben", "Okafor", "m", FlowiseAnswersTest.bios("Hi")) + "\n```";
        flowise.stubFor(post("/api/v1/prediction/" + PERSONA_FLOW).willReturn(answer(text)));

        PersonaBatch batch = client.personas(10, "Nurses in Texas, 25–40, \"outdoorsy\"", "Spanish");

        assertThat(batch.personas()).extracting(Persona::fullName).containsExactly("Ana Díaz", "Ben Okafor");
        flowise.verify(postRequestedFor(urlEqualTo("/api/v1/prediction/" + PERSONA_FLOW))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"question": "go", "overrideConfig": {"startState": {"startAgentflow_0": [
                          {"key": "requested_amount", "value": "10"},
                          {"key": "persona_description", "value": "Nurses in Texas, 25–40, \\"outdoorsy\\""},
                          {"key": "bio_language", "value": "Spanish"},
                          {"key": "instructions_facebook", "value": "Warm, first person, 3 sentences"},
                          {"key": "instructions_instagram", "value": "Short lines, emoji allowed"},
                          {"key": "instructions_x", "value": "Under 160 characters"},
                          {"key": "instructions_tiktok", "value": "Playful"}]}}}""")));
    }

    @Test
    void imagePromptRequestCarriesThePersonaAsJsonAndThePromptsAlreadyUsed() throws Exception {
        Persona ana = new FlowiseAnswers().personas(FlowiseAnswersTest.answer(
                FlowiseAnswersTest.persona("Ana", "Díaz", "f", FlowiseAnswersTest.bios("Hola")))).personas().get(0);
        flowise.stubFor(post("/api/v1/prediction/" + PROMPT_FLOW)
                .willReturn(answer("```json\n{\"final_prompt\": \"Four candid photos of Ana: market, beach, office, bike\"}\n```")));

        String prompt = client.imagePrompt(ana, List.of("Ana at a café", "Ana hiking"));

        assertThat(prompt).isEqualTo("Four candid photos of Ana: market, beach, office, bike");
        flowise.verify(postRequestedFor(urlEqualTo("/api/v1/prediction/" + PROMPT_FLOW))
                .withHeader("Authorization", equalTo("Bearer " + KEY))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"question": "go", "overrideConfig": {"startState": {"startAgentflow_0": [
                          {"key": "person_data", "value": "${json-unit.any-string}"},
                          {"key": "prompts_history", "value": "Ideas already used, to avoid:\\n- Ana at a café\\n- Ana hiking"}]}}}""",
                        true, false)));
        // person_data is the persona as a JSON string, in the field names and order the flow was written for
        var sent = JSON.readTree(flowise.findAll(postRequestedFor(urlEqualTo("/api/v1/prediction/" + PROMPT_FLOW)))
                .get(0).getBodyAsString());
        assertThat(sent.at("/overrideConfig/startState/startAgentflow_0/0/value").asText()).isEqualTo(
                "{\"firstname\":\"Ana\",\"lastname\":\"Díaz\",\"gender\":\"f\",\"bio_facebook\":\"Hola\","
                + "\"bio_instagram\":\"Coffee ☕ + code\",\"bio_x\":\"Builder. Opinions mine.\","
                + "\"bio_tiktok\":\"day in my life\",\"ethnicity\":\"Hispanic\",\"age\":29}");
    }

    @Test
    void firstImagePromptHasNoHistoryKey() throws Exception {
        Persona ana = new FlowiseAnswers().personas(FlowiseAnswersTest.answer(
                FlowiseAnswersTest.persona("Ana", "Díaz", "f", FlowiseAnswersTest.bios("Hola")))).personas().get(0);
        flowise.stubFor(post("/api/v1/prediction/" + PROMPT_FLOW).willReturn(answer("{\"final_prompt\": \"p\"}")));

        client.imagePrompt(ana, List.of());

        var sent = JSON.readTree(flowise.findAll(postRequestedFor(urlEqualTo("/api/v1/prediction/" + PROMPT_FLOW)))
                .get(0).getBodyAsString());
        assertThat(sent.at("/overrideConfig/startState/startAgentflow_0")).hasSize(1);
    }

    @Test
    void aRefusedKeyOrAMissingFlowStopsTheStageWithoutShowingTheKey() {
        flowise.stubFor(post("/api/v1/prediction/" + PERSONA_FLOW).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Unauthorized Access\"}")));
        assertThatThrownBy(() -> client.personas(10, "d", "English")).isInstanceOf(StageHalted.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("FLOWISE_API_KEY").hasMessageNotContaining(KEY);

        flowise.stubFor(post("/api/v1/prediction/" + PERSONA_FLOW).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"statusCode\":404,\"success\":false,"
                        + "\"message\":\"Chatflow " + PERSONA_FLOW + " not found\",\"stack\":{}}")));
        assertThatThrownBy(() -> client.personas(10, "d", "English")).isInstanceOf(StageHalted.class)
                .hasMessageContaining("not found").hasMessageContaining("FLOWISE_PERSONA_FLOW_ID");
    }

    @Test
    void serverErrorsThrottlingAndTimeoutsAreTransient() {
        flowise.stubFor(post("/api/v1/prediction/" + PERSONA_FLOW).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"statusCode\":500,\"success\":false,"
                        + "\"message\":\"Error: agentflowv2Service.buildAgentflow - 429 Rate limit\",\"stack\":{}}")));
        assertThatThrownBy(() -> client.personas(10, "d", "English")).isInstanceOf(TransientFailure.class)
                .hasMessageContaining("HTTP 500: Error: agentflowv2Service.buildAgentflow");

        flowise.stubFor(post("/api/v1/prediction/" + PERSONA_FLOW).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "7").withBody("Too many requests, please try again later.")));
        assertThatThrownBy(() -> client.personas(10, "d", "English")).isInstanceOf(TransientFailure.class)
                .satisfies(e -> assertThat(((TransientFailure) e).retryAfter()).isEqualTo(Duration.ofSeconds(7)));

        flowise.stubFor(post("/api/v1/prediction/" + PERSONA_FLOW).willReturn(answer("{}").withFixedDelay(4000)));
        assertThatThrownBy(() -> client.personas(10, "d", "English")).isInstanceOf(TransientFailure.class)
                .hasMessage("Flowise did not answer within 2 s");
    }

    @Test
    void badRequestsArePermanentAndOversizedAnswersTransient() {
        flowise.stubFor(post("/api/v1/prediction/" + PERSONA_FLOW).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"statusCode\":400,\"success\":false,"
                        + "\"message\":\"Invalid startState\"}")));
        assertThatThrownBy(() -> client.personas(10, "d", "English")).isExactlyInstanceOf(PermanentFailure.class)
                .hasMessageContaining("Invalid startState");

        flowise.stubFor(post("/api/v1/prediction/" + PERSONA_FLOW)
                .willReturn(answer("x".repeat(FlowiseClient.MAX_ANSWER_BYTES))));
        assertThatThrownBy(() -> client.personas(10, "d", "English")).isInstanceOf(TransientFailure.class)
                .hasMessageContaining("answered more than");
    }

    @Test
    void unsetUrlOrFlowStopsTheStageBeforeAnyCall() throws Exception {
        try (FlowiseClient unset = client(TestAvatarSettings.bind("FLOWISE_API_KEY", KEY))) {
            assertThatThrownBy(() -> unset.personas(10, "d", "English")).isInstanceOf(StageHalted.class)
                    .hasMessage("FLOWISE_URL is not set");
        }
        try (FlowiseClient noFlow = client(TestAvatarSettings.bind("FLOWISE_URL", flowise.baseUrl()))) {
            assertThatThrownBy(() -> noFlow.imagePrompt(BasePromptsTest.persona("f", 30), List.of()))
                    .isInstanceOf(StageHalted.class)
                    .hasMessage("FLOWISE_IMAGE_PROMPT_FLOW_ID is not set");
        }
        assertThat(flowise.getAllServeEvents()).isEmpty();
        assertThatThrownBy(() -> client.personas(11, "d", "English")).isInstanceOf(IllegalArgumentException.class);
    }
}
