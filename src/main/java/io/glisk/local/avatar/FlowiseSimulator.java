package io.glisk.local.avatar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * SIMULATOR — stands in for a Flowise server and its two agent flows in local mode and tests, on the wire as
 * Flowise speaks it: {@code POST /api/v1/prediction/{flowId}} with a bearer API key and the start state in
 * {@code overrideConfig.startState.startAgentflow_0}, answering {@code {"text", "question", "chatId",
 * "chatMessageId", …}}. The persona flow's text holds persona objects laid end to end with bios as a JSON string
 * — and, call by call, the odd shapes models produce (prose, code fences, an array, a bios object, now and then a
 * persona without its ethnicity); the image-prompt flow's text is {@code {"final_prompt": …}}. Errors in
 * Flowise's shapes: 401 {@code {"error": "Unauthorized Access"}}, 404 for an unknown flow, 500, 429. Only
 * registered in local mode; production reaches it only through FLOWISE_URL.
 */
@RestController
@Profile("local")
@RequestMapping(FlowiseSimulator.PATH)
public class FlowiseSimulator {

    public static final String PATH = "/sim/flowise";
    private static final Logger log = LoggerFactory.getLogger(FlowiseSimulator.class);

    private final FlowiseSimulatorSettings settings;
    private final SimulatedPersonas writer = new SimulatedPersonas();
    private final ObjectMapper json = new ObjectMapper();
    private final Queue<FlowiseFault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger personaCalls = new AtomicInteger();
    private final AtomicInteger promptCalls = new AtomicInteger();
    private final AtomicLong personasWritten = new AtomicLong();
    private final AtomicLong latencyMillis;
    private volatile String acceptedKey;

    FlowiseSimulator(FlowiseSimulatorSettings settings) {
        this.settings = settings;
        this.latencyMillis = new AtomicLong(settings.latencyMillis());
        this.acceptedKey = settings.apiKey();
        log.warn("SIMULATOR: Flowise persona and image-prompt flows simulated at {} (not a real Flowise)", PATH);
    }

    // ---- wire API ------------------------------------------------------------------------------------

    @PostMapping("/api/v1/prediction/{flowId}")
    public ResponseEntity<String> prediction(@PathVariable String flowId,
                                             @RequestHeader(value = "Authorization", required = false) String authorization,
                                             @RequestBody(required = false) byte[] body) throws InterruptedException {
        if (!authorized(authorization)) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_JSON)
                    .header("X-Glisk-Simulator", "flowise").body("{\"error\":\"Unauthorized Access\"}");
        }
        boolean personaFlow = flowId.equals(settings.personaFlowId());
        if (!personaFlow && !flowId.equals(settings.imagePromptFlowId())) {
            return failure(HttpStatus.NOT_FOUND, "Chatflow " + flowId + " not found");
        }
        FlowiseFault fault = nextFault();
        long latency = latencyMillis.get() + (fault != null && fault.kind() == FlowiseFault.Kind.SLOW ? fault.millis() : 0);
        if (latency > 0) {
            Thread.sleep(latency);
        }
        if (fault != null && fault.kind() == FlowiseFault.Kind.SERVER_ERROR) {
            return failure(HttpStatus.INTERNAL_SERVER_ERROR, "Error: agentflowv2Service.buildAgentflow - Error: "
                    + "LLM node failed: 503 The model is overloaded");
        }
        if (fault != null && fault.kind() == FlowiseFault.Kind.RATE_LIMITED) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.TEXT_PLAIN)
                    .header("Retry-After", Long.toString(Math.max(1, (fault.millis() + 999) / 1000)))
                    .header("X-Glisk-Simulator", "flowise").body("Too many requests, please try again later.");
        }
        Map<String, String> state;
        try {
            state = startState(body);
        } catch (IllegalArgumentException e) {
            return failure(HttpStatus.INTERNAL_SERVER_ERROR, "Error: " + e.getMessage());
        }
        long seed = seed(flowId, body);
        String text;
        if (fault != null && fault.kind() == FlowiseFault.Kind.NO_JSON) {
            text = "I'm sorry, I could not produce the requested output this time.";
        } else if (personaFlow) {
            int call = personaCalls.incrementAndGet();
            int amount = Math.max(1, Math.min(10, parseInt(state.getOrDefault("requested_amount", "10"))));
            long first = personasWritten.getAndAdd(amount);
            text = writer.personas(seed, amount, state.getOrDefault("persona_description", ""),
                    state.getOrDefault("bio_language", "English"), settings.oddShapes() ? call % 4 : 0,
                    settings.incompleteEvery(), first);
        } else {
            int call = promptCalls.incrementAndGet();
            Map<String, Object> person = personData(state.get("person_data"));
            if (person == null) {
                return failure(HttpStatus.INTERNAL_SERVER_ERROR, "Error: person_data is not valid JSON");
            }
            text = writer.imagePrompt(seed, person, state.get("prompts_history"), settings.oddShapes() && call % 2 == 0);
        }
        ObjectNode answer = json.createObjectNode().put("text", text).put("question", "go")
                .put("chatId", UUID.randomUUID().toString()).put("chatMessageId", UUID.randomUUID().toString())
                .put("executionId", UUID.randomUUID().toString());
        answer.putArray("agentFlowExecutedData");
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).header("X-Glisk-Simulator", "flowise")
                .body(answer.toString());
    }

    // ---- controls for tests and demos -----------------------------------------------------------------

    /** Faults applied, in order, to the next predictions. */
    public void enqueue(FlowiseFault... next) {
        faults.addAll(List.of(next));
    }

    public void setLatencyMillis(long millis) {
        latencyMillis.set(millis);
    }

    /** The API key accepted from now on. */
    public void setAcceptedKey(String key) {
        acceptedKey = key;
    }

    /** Persona-flow predictions answered with personas. */
    public int personaCalls() {
        return personaCalls.get();
    }

    /** Image-prompt-flow predictions answered with a prompt. */
    public int imagePromptCalls() {
        return promptCalls.get();
    }

    /** Forget faults and counters; back to the configured key and latency. */
    public void reset() {
        faults.clear();
        personaCalls.set(0);
        promptCalls.set(0);
        personasWritten.set(0);
        acceptedKey = settings.apiKey();
        latencyMillis.set(settings.latencyMillis());
    }

    // ---- internals -----------------------------------------------------------------------------------

    /** The start state's key → value pairs. */
    private Map<String, String> startState(byte[] body) {
        JsonNode request;
        try {
            request = body == null ? null : json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the request body is not JSON");
        }
        JsonNode entries = request == null ? null : request.at("/overrideConfig/startState/startAgentflow_0");
        if (entries == null || !entries.isArray()) {
            throw new IllegalArgumentException("overrideConfig.startState.startAgentflow_0 is missing");
        }
        Map<String, String> state = new HashMap<>();
        for (JsonNode entry : entries) {
            if (entry.path("key").isTextual() && entry.path("value").isTextual()) {
                state.put(entry.get("key").asText(), entry.get("value").asText());
            }
        }
        return state;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> personData(String value) {
        try {
            Object parsed = value == null ? null : json.readValue(value, Object.class);
            return parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        } catch (IOException e) {
            return null;
        }
    }

    private ResponseEntity<String> failure(HttpStatus status, String message) {
        ObjectNode body = json.createObjectNode().put("statusCode", status.value()).put("success", false)
                .put("message", message);
        body.putObject("stack");
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .header("X-Glisk-Simulator", "flowise").body(body.toString());
    }

    private FlowiseFault nextFault() {
        FlowiseFault queued = faults.poll();
        if (queued != null) {
            return queued;
        }
        return ThreadLocalRandom.current().nextDouble() < settings.errorRate()
                ? FlowiseFault.of(FlowiseFault.Kind.SERVER_ERROR) : null;
    }

    private boolean authorized(String authorization) {
        String key = acceptedKey;
        return authorization != null && key != null && MessageDigest.isEqual(
                authorization.getBytes(StandardCharsets.UTF_8), ("Bearer " + key).getBytes(StandardCharsets.UTF_8));
    }

    /** Each call its own set of people, drawn from the request and how many calls came before. */
    private long seed(String flowId, byte[] body) {
        return FaceRenderer.hash(flowId + "/" + (body == null ? "" : new String(body, StandardCharsets.UTF_8)) + "/"
                + (personaCalls.get() + promptCalls.get()));
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (RuntimeException e) {
            return 10;
        }
    }
}
