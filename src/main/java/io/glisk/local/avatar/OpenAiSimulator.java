package io.glisk.local.avatar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glisk.avatar.ImageCodec;
import io.glisk.image.ImageTypes;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * SIMULATOR — stands in for the OpenAI Images API in local mode and tests, on the wire as OpenAI speaks it:
 * {@code POST /v1/images/generations} (JSON) answers a PNG portrait of a drawn face in {@code data[0].b64_json};
 * {@code POST /v1/images/edits} (multipart, {@code image[]}) answers a 2×2 grid of the same face — the face of the
 * picture sent, when the simulator drew it — in varied poses, with white gutters and margins; {@code usage} in
 * every answer; OpenAI's error bodies for a wrong key (401), moderation (400 moderation_blocked), throttling
 * (429 rate_limit_exceeded with retry-after-ms), no quota (429 insufficient_quota) and 500. Only registered in
 * local mode; production reaches it only through OPENAI_BASE_URL.
 */
@RestController
@Profile("local")
@RequestMapping(OpenAiSimulator.PATH)
public class OpenAiSimulator {

    public static final String PATH = "/sim/openai";
    private static final Logger log = LoggerFactory.getLogger(OpenAiSimulator.class);
    /** Pictures drawn and the person in them: an edit of one of them draws that person again. */
    private static final int REMEMBERED_PICTURES = 10_000;

    private final OpenAiSimulatorSettings settings;
    private final FaceRenderer faces = new FaceRenderer();
    private final ObjectMapper json = new ObjectMapper();
    private final Queue<OpenAiFault> faults = new ConcurrentLinkedQueue<>();
    private final Queue<OpenAiFault> editFaults = new ConcurrentLinkedQueue<>();
    private final Map<String, Person> people = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Person> eldest) {
            return size() > REMEMBERED_PICTURES;
        }
    });
    private final AtomicInteger generations = new AtomicInteger();
    private final AtomicInteger edits = new AtomicInteger();
    private final Map<String, AtomicInteger> generationsByPrompt = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicLong latencyMillis;
    private volatile String acceptedKey;

    /** Whom a picture shows. */
    private record Person(String seed, boolean woman) {
    }

    OpenAiSimulator(OpenAiSimulatorSettings settings) {
        this.settings = settings;
        this.latencyMillis = new AtomicLong(settings.latencyMillis());
        this.acceptedKey = settings.apiKey();
        log.warn("SIMULATOR: OpenAI Images API simulated at {} (not the real OpenAI)", PATH);
    }

    // ---- wire API ------------------------------------------------------------------------------------

    @PostMapping("/v1/images/generations")
    public ResponseEntity<String> generations(@RequestHeader(value = "Authorization", required = false) String authorization,
                                              @RequestBody(required = false) byte[] body) throws InterruptedException {
        return admitted(authorization, faults, () -> {
            JsonNode request;
            try {
                request = body == null ? null : json.readTree(body);
            } catch (IOException e) {
                request = null;
            }
            if (request == null || !request.isObject()) {
                return error(HttpStatus.BAD_REQUEST, "We could not parse the JSON body of your request.",
                        "invalid_request_error", null, null);
            }
            String prompt = request.path("prompt").asText("");
            ResponseEntity<String> invalid = validate(prompt, request.path("model").asText(""),
                    request.path("n").asInt(1), request.path("size").asText("auto"));
            if (invalid != null) {
                return invalid;
            }
            generations.incrementAndGet();
            generationsByPrompt.computeIfAbsent(prompt, p -> new AtomicInteger()).incrementAndGet();
            Person person = new Person(prompt, mentionsWoman(prompt));
            byte[] png = ImageCodec.png(faces.portrait(person.seed(), "base", person.woman(), settings.imageSize(), settings.imageSize()));
            people.put(digest(png), person);
            return image(png, tokens(prompt), 0);
        });
    }

    @PostMapping("/v1/images/edits")
    public ResponseEntity<String> edits(@RequestHeader(value = "Authorization", required = false) String authorization,
                                        HttpServletRequest request) throws InterruptedException {
        return admitted(authorization, editFaults.isEmpty() ? faults : editFaults, () -> {
            Map<String, byte[]> parts = new HashMap<>();
            try {
                for (Part part : request.getParts()) {
                    try (InputStream in = part.getInputStream()) {
                        parts.putIfAbsent(part.getName(), in.readNBytes(60 << 20));
                    }
                }
            } catch (IOException | ServletException | RuntimeException notMultipart) {
                return error(HttpStatus.BAD_REQUEST, "Invalid content type. image edit requests must be "
                        + "multipart/form-data.", "invalid_request_error", null, null);
            }
            byte[] image = parts.containsKey("image[]") ? parts.get("image[]") : parts.get("image");
            if (image == null) {
                return error(HttpStatus.BAD_REQUEST, "Missing required parameter: 'image'.", "invalid_request_error",
                        "image", "missing_required_parameter");
            }
            String type = ImageTypes.sniff(image);
            if (!"image/png".equals(type) && !"image/jpeg".equals(type) && !"image/webp".equals(type)) {
                return error(HttpStatus.BAD_REQUEST, "Invalid image file or mode for image 1, please check your image file.",
                        "invalid_request_error", "image", "invalid_image_file");
            }
            String prompt = text(parts.get("prompt"));
            ResponseEntity<String> invalid = validate(prompt, text(parts.get("model")),
                    parts.containsKey("n") ? parseInt(text(parts.get("n"))) : 1, text(parts.get("size")));
            if (invalid != null) {
                return invalid;
            }
            edits.incrementAndGet();
            // the person of the picture sent: the face it was drawn with, or one of its own for a foreign picture
            String sent = digest(image);
            Person person = people.getOrDefault(sent, new Person(sent, mentionsWoman(prompt)));
            byte[] png = ImageCodec.png(faces.grid(person.seed(), prompt, person.woman(), settings.imageSize(), settings.imageSize()));
            return image(png, tokens(prompt) + 194, 194);
        });
    }

    // ---- controls for tests and demos -----------------------------------------------------------------

    /** Faults applied, in order, to the next image requests. */
    public void enqueue(OpenAiFault... next) {
        faults.addAll(List.of(next));
    }

    /** Faults applied, in order, to the next edits (grids) only, before those of {@link #enqueue}. */
    public void enqueueEdits(OpenAiFault... next) {
        editFaults.addAll(List.of(next));
    }

    public void setLatencyMillis(long millis) {
        latencyMillis.set(millis);
    }

    /** The API key accepted from now on (e.g. to make the pipeline's key wrong). */
    public void setAcceptedKey(String key) {
        acceptedKey = key;
    }

    /** Images made by generations (requests that got past the key, faults and validation). */
    public int generationsMade() {
        return generations.get();
    }

    /** Grids made by edits. */
    public int editsMade() {
        return edits.get();
    }

    /** How many images each prompt was made into by generations: a persona's base image is made once. */
    public Map<String, Integer> generationsByPrompt() {
        Map<String, Integer> counts = new HashMap<>();
        generationsByPrompt.forEach((prompt, n) -> counts.put(prompt, n.get()));
        return counts;
    }

    /** The most requests being answered at the same time since the last reset. */
    public int mostConcurrentRequests() {
        return mostInFlight.get();
    }

    /** Forget faults, counters and remembered faces; back to the configured key and latency. */
    public void reset() {
        faults.clear();
        editFaults.clear();
        people.clear();
        generations.set(0);
        edits.set(0);
        generationsByPrompt.clear();
        mostInFlight.set(0);
        acceptedKey = settings.apiKey();
        latencyMillis.set(settings.latencyMillis());
    }

    // ---- internals -----------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Answer {
        ResponseEntity<String> get() throws InterruptedException;
    }

    private ResponseEntity<String> counted(Answer answer) throws InterruptedException {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            return answer.get();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * What every image request goes through: the key, then a fault or the answer, given when the latency has passed
     * since the request came in — drawing the picture is part of that time, as making it is the real API's.
     */
    private ResponseEntity<String> admitted(String authorization, Queue<OpenAiFault> queue, Answer answer)
            throws InterruptedException {
        return counted(() -> {
            ResponseEntity<String> unauthorized = authorize(authorization);
            if (unauthorized != null) {
                return unauthorized;
            }
            OpenAiFault fault = nextFault(queue);
            long latency = latencyMillis.get() + (fault != null && fault.kind() == OpenAiFault.Kind.SLOW ? fault.millis() : 0);
            long due = System.nanoTime() + latency * 1_000_000;
            ResponseEntity<String> refused = refusal(fault);
            ResponseEntity<String> response = refused != null ? refused : answer.get();
            long left = due - System.nanoTime();
            if (left > 0) {
                Thread.sleep(Duration.ofNanos(left));
            }
            return response;
        });
    }

    private ResponseEntity<String> refusal(OpenAiFault fault) {
        return fault == null ? null : switch (fault.kind()) {
            case MODERATION_BLOCKED -> moderationBlocked();
            case RATE_LIMITED -> {
                long millis = Math.max(1, fault.millis());
                ResponseEntity<String> limited = error(HttpStatus.TOO_MANY_REQUESTS, "Rate limit reached for "
                        + "gpt-image in organization org-simulator on images per minute (IPM): Limit 5, Used 5, "
                        + "Requested 1. Please try again in " + String.format(Locale.ROOT, "%.3f", millis / 1000.0)
                        + "s. Visit https://platform.openai.com/account/rate-limits to learn more.", "requests", null,
                        "rate_limit_exceeded");
                yield ResponseEntity.status(limited.getStatusCode()).headers(limited.getHeaders())
                        .header("retry-after-ms", Long.toString(millis))
                        .header("retry-after", Long.toString((millis + 999) / 1000))
                        .header("x-ratelimit-limit-requests", "5").header("x-ratelimit-remaining-requests", "0")
                        .body(limited.getBody());
            }
            case INSUFFICIENT_QUOTA -> error(HttpStatus.TOO_MANY_REQUESTS, "You exceeded your current quota, please "
                    + "check your plan and billing details. For more information on this error, read the docs: "
                    + "https://platform.openai.com/docs/guides/error-codes/api-errors.", "insufficient_quota", null,
                    "insufficient_quota");
            case SERVER_ERROR -> error(HttpStatus.INTERNAL_SERVER_ERROR, "The server had an error while processing "
                    + "your request. Sorry about that!", "server_error", null, null);
            case SLOW -> null;
        };
    }

    private ResponseEntity<String> authorize(String authorization) {
        String key = acceptedKey;
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return error(HttpStatus.UNAUTHORIZED, "You didn't provide an API key. You need to provide your API key "
                    + "in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error", null, null);
        }
        String given = authorization.substring("Bearer ".length());
        if (key == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
            // OpenAI shows the start and the end of the key it was given
            String shown = given.length() <= 8 ? "****" : given.substring(0, 3) + "*".repeat(given.length() - 7)
                    + given.substring(given.length() - 4);
            return error(HttpStatus.UNAUTHORIZED, "Incorrect API key provided: " + shown + ". You can find your API "
                    + "key at https://platform.openai.com/account/api-keys.", "invalid_request_error", null, "invalid_api_key");
        }
        return null;
    }

    private ResponseEntity<String> validate(String prompt, String model, int n, String size) {
        if (prompt == null || prompt.isBlank()) {
            return error(HttpStatus.BAD_REQUEST, "Missing required parameter: 'prompt'.", "invalid_request_error",
                    "prompt", "missing_required_parameter");
        }
        if (prompt.length() > 32_000) {
            return error(HttpStatus.BAD_REQUEST, "Invalid 'prompt': string too long. Expected a string with maximum "
                    + "length 32000, but got a string with length " + prompt.length() + " instead.",
                    "invalid_request_error", "prompt", "string_above_max_length");
        }
        if (model == null || !model.startsWith("gpt-image")) {
            return error(HttpStatus.BAD_REQUEST, "Invalid value: '" + model + "'. Value must be 'gpt-image-1', "
                    + "'gpt-image-1-mini' or 'gpt-image-1.5'.", "invalid_request_error", "model", "invalid_value");
        }
        if (n != 1) {
            return error(HttpStatus.BAD_REQUEST, "Invalid 'n': the simulator makes one image per request.",
                    "invalid_request_error", "n", "invalid_value");
        }
        if (size != null && !size.isEmpty() && !List.of("auto", "1024x1024", "1024x1536", "1536x1024").contains(size)) {
            return error(HttpStatus.BAD_REQUEST, "Invalid value: '" + size + "'. Supported values are: '1024x1024', "
                    + "'1024x1536', '1536x1024', and 'auto'.", "invalid_request_error", "size", "invalid_value");
        }
        String lower = prompt.toLowerCase(Locale.ROOT);
        if (settings.moderationWords().stream().anyMatch(w -> lower.contains(w.toLowerCase(Locale.ROOT)))) {
            return moderationBlocked();
        }
        return null;
    }

    private ResponseEntity<String> moderationBlocked() {
        return error(HttpStatus.BAD_REQUEST, "Your request was rejected by the safety system. If you believe this is "
                + "an error, contact us at help.openai.com and include the request ID req_simulator.",
                "image_generation_user_error", null, "moderation_blocked");
    }

    private OpenAiFault nextFault(Queue<OpenAiFault> queue) {
        OpenAiFault queued = queue.poll();
        if (queued != null) {
            return queued;
        }
        if (settings.outOfQuota()) {
            return OpenAiFault.of(OpenAiFault.Kind.INSUFFICIENT_QUOTA);
        }
        double dice = ThreadLocalRandom.current().nextDouble();
        if (dice < settings.throttleRate()) {
            return OpenAiFault.rateLimited(1000);
        }
        if (dice < settings.throttleRate() + settings.errorRate()) {
            return OpenAiFault.of(OpenAiFault.Kind.SERVER_ERROR);
        }
        return null;
    }

    private ResponseEntity<String> image(byte[] png, long inputTokens, long imageTokens) {
        ObjectNode body = json.createObjectNode();
        body.put("created", Instant.now().getEpochSecond());
        body.put("background", "opaque");
        body.putArray("data").addObject().put("b64_json", Base64.getEncoder().encodeToString(png));
        body.put("output_format", "png").put("quality", "high")
                .put("size", settings.imageSize() + "x" + settings.imageSize());
        long outputTokens = 4160;
        ObjectNode usage = body.putObject("usage");
        usage.put("input_tokens", inputTokens);
        usage.putObject("input_tokens_details").put("image_tokens", imageTokens).put("text_tokens", inputTokens - imageTokens);
        usage.put("output_tokens", outputTokens).put("total_tokens", inputTokens + outputTokens);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).header("X-Glisk-Simulator", "openai")
                .body(body.toString());
    }

    private ResponseEntity<String> error(HttpStatus status, String message, String type, String param, String code) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message).put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .header("X-Glisk-Simulator", "openai").body(body.toString());
    }

    /** Text tokens, roughly as OpenAI counts them: a token per four characters. */
    private static long tokens(String prompt) {
        return Math.max(1, prompt.length() / 4);
    }

    private static boolean mentionsWoman(String prompt) {
        String lower = prompt.toLowerCase(Locale.ROOT);
        return lower.contains("woman") || lower.contains("female") || lower.contains(" girl");
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
