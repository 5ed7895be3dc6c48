package io.glisk.local.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glisk.local.RandomFaults;
import io.glisk.local.images.SimulatedImageRenderer;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
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
import org.springframework.stereotype.Component;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * SIMULATOR — stands in for Replicate's predictions API in local mode and tests, on the wire as Replicate
 * speaks it: {@code POST /v1/models/{owner}/{name}/predictions} with a bearer token and optional
 * {@code Prefer: wait[=n]}, {@code GET /v1/predictions/{id}}, {@code POST …/cancel}, problem+json errors,
 * 429 throttling with Retry-After, NSFW refusals, and real WebP/PNG outputs that expire. A synchronous answer
 * holds a finished prediction's output inline, a base64 data URI, as Replicate's do for its fast image models;
 * a poll's answer names a URL. It is only registered in local mode, served by {@link ReplicateSimulatorWire};
 * production code reaches it only through REPLICATE_BASE_URL.
 */
@Component
@Profile("local")
public class ReplicateSimulator {

    public static final String PATH = "/sim/replicate";
    private static final Logger log = LoggerFactory.getLogger(ReplicateSimulator.class);
    private static final MediaType PROBLEM = MediaType.parseMediaType("application/problem+json");
    private static final String NSFW_ERROR = "All generated images contained NSFW content. Try running it again with a different prompt.";
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int VARIANTS = 16;

    private final ReplicateSimulatorSettings settings;
    private final SimulatedImageRenderer images = new SimulatedImageRenderer();
    /** The pictures painted lately, the least recently used forgotten first. */
    private final Map<String, Picture> pictures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Picture> eldest) {
            return size() > 256;
        }
    };
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, SimulatedPrediction> predictions = new ConcurrentHashMap<>();
    private final Queue<SimulatedFault> faults = new ConcurrentLinkedQueue<>();
    private final RandomFaults<SimulatedFault> randomFaults;
    private volatile Instant unavailableUntil = Instant.EPOCH;
    private final Map<String, AtomicInteger> createsByPrompt = new ConcurrentHashMap<>();
    private final AtomicInteger creates = new AtomicInteger();
    /** A queue, not a copy-on-write list: one is added at every create, thousands a second under load. */
    private final Queue<Long> createRequestMillis = new ConcurrentLinkedQueue<>();
    private final AtomicInteger createsInProgress = new AtomicInteger();
    private final AtomicInteger mostCreatesInProgress = new AtomicInteger();
    private volatile String acceptedToken;
    private final AtomicLong processingMillis;
    private final AtomicLong waitMillis;

    ReplicateSimulator(ReplicateSimulatorSettings settings) {
        this.settings = settings;
        this.processingMillis = new AtomicLong(settings.processingMillis());
        this.waitMillis = new AtomicLong(settings.waitSeconds() * 1000L);
        this.acceptedToken = settings.token();
        this.randomFaults = RandomFaults.of(
                Map.entry(settings.throttleRate(), SimulatedFault.throttle(1000)),
                Map.entry(settings.errorRate(), SimulatedFault.of(SimulatedFault.Kind.SERVER_ERROR)),
                Map.entry(settings.slowRate(), SimulatedFault.slow(settings.slowMillis())),
                Map.entry(settings.malformedRate(), SimulatedFault.of(SimulatedFault.Kind.MALFORMED)),
                Map.entry(settings.nsfwRate(), SimulatedFault.failedPrediction(NSFW_ERROR)),
                Map.entry(settings.expiredRate(), SimulatedFault.of(SimulatedFault.Kind.EXPIRED_OUTPUT)));
        log.warn("SIMULATOR: Replicate predictions API simulated at {} (not the real Replicate)", PATH);
    }

    /** A painted picture, and the same as a data URI, made once like the picture. */
    private record Picture(byte[] bytes, String dataUri) {
    }

    private record SimulatedPrediction(String id, String model, String prompt, String format, Instant createdAt,
                                       long readyAtMillis, String failure, boolean outputExpired,
                                       boolean canceled) {

        SimulatedPrediction cancel() {
            return new SimulatedPrediction(id, model, prompt, format, createdAt, readyAtMillis, failure, outputExpired, true);
        }

        String status(long now) {
            if (canceled) {
                return "canceled";
            }
            if (now < readyAtMillis) {
                return now - createdAt.toEpochMilli() < 200 ? "starting" : "processing";
            }
            return failure == null ? "succeeded" : "failed";
        }
    }

    // ---- wire API ------------------------------------------------------------------------------------

    ResponseEntity<String> create(String owner, String name, String authorization, String prefer, byte[] body,
                                  HttpServletRequest request) throws InterruptedException {
        mostCreatesInProgress.accumulateAndGet(createsInProgress.incrementAndGet(), Math::max);
        try {
            return answerCreate(owner, name, authorization, prefer, body, request);
        } finally {
            createsInProgress.decrementAndGet();
        }
    }

    private ResponseEntity<String> answerCreate(String owner, String name, String authorization, String prefer,
                                                byte[] body, HttpServletRequest request) throws InterruptedException {
        createRequestMillis.add(System.currentTimeMillis());
        if (!authorized(authorization)) {
            return unauthenticated();
        }
        SimulatedFault fault = nextFault();
        if (fault != null) {
            ResponseEntity<String> faulty = applyFault(fault);
            if (faulty != null) {
                return faulty;
            }
        }
        String model = owner + "/" + name;
        if (!settings.models().contains(model)) {
            return problem(HttpStatus.NOT_FOUND, null, "The requested resource does not exist");
        }
        JsonNode input;
        try {
            JsonNode document = body == null ? null : json.readTree(body);
            input = document == null ? null : document.get("input");
        } catch (IOException e) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid JSON", "The request body is not valid JSON");
        }
        if (input == null || !input.isObject()) {
            return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Input validation failed", "- input: Input is required");
        }
        JsonNode prompt = input.get("prompt");
        if (prompt == null || !prompt.isTextual()) {
            return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Input validation failed", "- input.prompt: prompt is required");
        }
        if (fault != null && fault.kind() == SimulatedFault.Kind.INVALID_INPUT) {
            return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Input validation failed", "- input.prompt: String too long");
        }
        String format = input.path("output_format").asText("webp").toLowerCase(Locale.ROOT);
        if (!format.equals("webp") && !format.equals("png")) {
            return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Input validation failed",
                    "- input.output_format: output_format must be one of the following: \"webp\", \"png\"");
        }
        String failure = fault != null && fault.kind() == SimulatedFault.Kind.FAILED_PREDICTION ? fault.message()
                : containsNsfwWord(prompt.asText()) ? NSFW_ERROR : null;
        Instant now = Instant.now();
        SimulatedPrediction prediction = new SimulatedPrediction(newId(), model, prompt.asText(), format, now,
                now.toEpochMilli() + processingMillis.get(), failure,
                fault != null && fault.kind() == SimulatedFault.Kind.EXPIRED_OUTPUT, false);
        predictions.put(prediction.id(), prediction);
        creates.incrementAndGet();
        createsByPrompt.computeIfAbsent(prediction.prompt(), p -> new AtomicInteger()).incrementAndGet();
        long wait = waitFor(prefer);
        if (wait > 0) {
            long until = Math.min(prediction.readyAtMillis(), System.currentTimeMillis() + wait);
            long pause = until - System.currentTimeMillis();
            if (pause > 0) {
                Thread.sleep(pause);
            }
        }
        String base = baseUrl(request);
        if (fault != null && fault.kind() == SimulatedFault.Kind.FOREIGN_POLL_URL) {
            return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                    .body(render(prediction, base, false).replace(base + "/v1/predictions/", "https://attacker.example/steal/"));
        }
        if (fault != null && fault.kind() == SimulatedFault.Kind.OVERSIZED) {
            String rendered = render(prediction, base, false);
            return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                    .body(rendered.substring(0, rendered.length() - 1) + ",\"logs\":\"" + "x".repeat(9 << 20) + "\"}");
        }
        // inline only in the answer that waited: a poll answers with the delivery URL, as Replicate's do
        boolean inline = wait > 0 && !prediction.outputExpired();
        return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                .body(render(prediction, base, inline));
    }

    ResponseEntity<String> get(String id, String authorization, HttpServletRequest request) {
        if (!authorized(authorization)) {
            return unauthenticated();
        }
        SimulatedPrediction prediction = predictions.get(id);
        if (prediction == null) {
            return problem(HttpStatus.NOT_FOUND, null, "Not found.");
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(render(prediction, baseUrl(request), false));
    }

    ResponseEntity<String> cancel(String id, String authorization, HttpServletRequest request) {
        if (!authorized(authorization)) {
            return unauthenticated();
        }
        SimulatedPrediction canceled = predictions.computeIfPresent(id, (k, p) ->
                p.status(System.currentTimeMillis()).equals("succeeded") || p.failure() != null ? p : p.cancel());
        if (canceled == null) {
            return problem(HttpStatus.NOT_FOUND, null, "Not found.");
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(render(canceled, baseUrl(request), false));
    }

    /** The output files, like replicate.delivery: public, no token, gone after the TTL. */
    ResponseEntity<byte[]> output(String id, String file) {
        SimulatedPrediction prediction = predictions.get(id);
        long now = System.currentTimeMillis();
        if (prediction == null || prediction.outputExpired() || !"succeeded".equals(prediction.status(now))
                || now > prediction.createdAt().toEpochMilli() + settings.outputTtlSeconds() * 1000
                || !file.equals(outputFile(prediction))) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN).body("Not Found".getBytes());
        }
        boolean png = prediction.format().equals("png");
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(png ? "image/png" : "image/webp"))
                .body(picture(prediction).bytes());
    }

    /**
     * Like a model run with a seed, a prompt and a seed always give the same picture: each prediction draws one of
     * {@link #VARIANTS} seeds, and each picture is painted and encoded once. The simulator then costs next to
     * nothing per prediction, as a remote provider costs this machine nothing, and a prompt still gets varied pictures.
     */
    private Picture picture(SimulatedPrediction prediction) {
        boolean png = prediction.format().equals("png");
        String seed = prediction.prompt() + "#" + Math.floorMod(prediction.id().hashCode(), VARIANTS);
        String key = (png ? "png:" : "webp:") + seed;
        synchronized (pictures) {
            Picture cached = pictures.get(key);
            if (cached != null) {
                return cached;
            }
        }
        byte[] bytes = png ? images.png(seed, settings.imageSize()) : images.webp(seed, settings.imageSize());
        Picture picture = new Picture(bytes, "data:image/" + prediction.format() + ";base64,"
                + Base64.getEncoder().encodeToString(bytes));
        synchronized (pictures) {
            pictures.put(key, picture);
        }
        return picture;
    }

    // ---- controls for tests and demos -----------------------------------------------------------------

    /** Faults applied, in order, to the next create requests. */
    public void enqueue(SimulatedFault... next) {
        faults.addAll(List.of(next));
    }

    public void setProcessingMillis(long millis) {
        processingMillis.set(millis);
    }

    public void setWaitMillis(long millis) {
        waitMillis.set(millis);
    }

    /** Until this instant every create request answers 503, as Replicate does when it is down for everyone. */
    public void setUnavailableUntil(Instant until) {
        unavailableUntil = until;
    }

    /** The bearer token the simulator accepts from now on (e.g. to make the pipeline's token wrong). */
    public void setAcceptedToken(String token) {
        acceptedToken = token;
    }

    /** The most create requests that were being answered at the same time since the last reset. */
    public int mostConcurrentCreates() {
        return mostCreatesInProgress.get();
    }

    /** When each create request arrived (epoch milliseconds), answered or not. */
    public List<Long> createRequestTimes() {
        return List.copyOf(createRequestMillis);
    }

    /** Forget predictions, faults and counters; back to the configured timings. */
    public void reset() {
        faults.clear();
        unavailableUntil = Instant.EPOCH;
        predictions.clear();
        createsByPrompt.clear();
        creates.set(0);
        createRequestMillis.clear();
        mostCreatesInProgress.set(0);
        acceptedToken = settings.token();
        processingMillis.set(settings.processingMillis());
        waitMillis.set(settings.waitSeconds() * 1000L);
    }

    /** Predictions accepted (requests that got past authentication, faults and validation). */
    public int predictionsCreated() {
        return creates.get();
    }

    public Map<String, Integer> predictionsByPrompt() {
        Map<String, Integer> counts = new HashMap<>();
        createsByPrompt.forEach((prompt, n) -> counts.put(prompt, n.get()));
        return counts;
    }

    /** Makes every output of the predictions made so far answer 404, as after Replicate's cleanup. */
    public void expireOutputs() {
        predictions.replaceAll((id, p) -> new SimulatedPrediction(p.id(), p.model(), p.prompt(), p.format(),
                p.createdAt(), p.readyAtMillis(), p.failure(), true, p.canceled()));
    }

    // ---- internals -----------------------------------------------------------------------------------

    private SimulatedFault nextFault() {
        if (Instant.now().isBefore(unavailableUntil)) {
            return SimulatedFault.of(SimulatedFault.Kind.UNAVAILABLE);
        }
        SimulatedFault queued = faults.poll();
        if (queued != null) {
            return queued;
        }
        return randomFaults.draw();
    }

    /** The answer a fault replaces the normal one with, or null when the fault shapes the prediction instead. */
    private ResponseEntity<String> applyFault(SimulatedFault fault) throws InterruptedException {
        return switch (fault.kind()) {
            case THROTTLE -> {
                long seconds = Math.max(1, (fault.millis() + 999) / 1000);
                ObjectNode problem = json.createObjectNode()
                        .put("detail", "Request was throttled. Expected available in " + seconds
                                + (seconds == 1 ? " second." : " seconds."))
                        .put("status", 429);
                yield ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(PROBLEM)
                        .header("Retry-After", Long.toString(seconds)).body(problem.toString());
            }
            case SERVER_ERROR -> problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal Server Error",
                    "An unexpected error occurred, please try again");
            case UNAVAILABLE -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.TEXT_HTML)
                    .body("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
            case MALFORMED -> ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                    .body("{\"id\": \"truncated");
            case SLOW -> {
                Thread.sleep(fault.millis());
                yield null;
            }
            default -> null;
        };
    }

    private boolean authorized(String authorization) {
        String token = acceptedToken;
        return authorization != null && token != null
                && MessageDigest.isEqual(authorization.getBytes(), ("Bearer " + token).getBytes());
    }

    private ResponseEntity<String> unauthenticated() {
        return problem(HttpStatus.UNAUTHORIZED, "Unauthenticated", "You did not pass a valid authentication token");
    }

    private ResponseEntity<String> problem(HttpStatus status, String title, String detail) {
        ObjectNode body = json.createObjectNode();
        if (title != null) {
            body.put("title", title);
        }
        body.put("detail", detail).put("status", status.value());
        return ResponseEntity.status(status).contentType(PROBLEM).body(body.toString());
    }

    private boolean containsNsfwWord(String prompt) {
        String lower = prompt.toLowerCase(Locale.ROOT);
        return settings.nsfwWords().stream().anyMatch(w -> lower.contains(w.toLowerCase(Locale.ROOT)));
    }

    private long waitFor(String prefer) {
        if (prefer == null || !prefer.strip().startsWith("wait")) {
            return 0;
        }
        String[] parts = prefer.strip().split("=", 2);
        long cap = waitMillis.get();
        if (parts.length == 2 && parts[1].strip().matches("\\d{1,2}")) {
            return Math.min(cap, Long.parseLong(parts[1].strip()) * 1000);
        }
        return cap;
    }

    private String render(SimulatedPrediction p, String base, boolean inline) {
        long now = System.currentTimeMillis();
        String status = p.status(now);
        ObjectNode node = json.createObjectNode();
        node.put("id", p.id()).put("model", p.model()).put("version", "hidden");
        node.putObject("input").put("prompt", p.prompt());
        node.put("logs", "");
        if (status.equals("succeeded")) {
            node.putArray("output").add(inline ? picture(p).dataUri() : base + "/delivery/" + p.id() + "/" + outputFile(p));
        } else {
            node.putNull("output");
        }
        node.put("data_removed", false);
        if (status.equals("failed")) {
            node.put("error", p.failure());
        } else {
            node.putNull("error");
        }
        node.put("status", status).put("created_at", p.createdAt().toString());
        ObjectNode urls = node.putObject("urls");
        urls.put("cancel", base + "/v1/predictions/" + p.id() + "/cancel");
        urls.put("get", base + "/v1/predictions/" + p.id());
        urls.put("web", "https://replicate.com/p/" + p.id());
        return node.toString();
    }

    private static String outputFile(SimulatedPrediction p) {
        return "out-0." + p.format();
    }

    private static String baseUrl(HttpServletRequest request) {
        return request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort() + PATH;
    }

    /** Unique, not secret: SecureRandom, a lock shared by every request thread, cost 1.4 % of a benchmark's samples. */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[26];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }
}
