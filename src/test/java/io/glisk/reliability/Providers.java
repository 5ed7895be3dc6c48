package io.glisk.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.support.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paid providers, outside the pipeline's processes: the jar once more, in local mode with every stage off, so
 * that it serves only its simulators (Replicate, Pinata and its gateway; Flowise, OpenAI and S3 for the avatar
 * stage) with the scenario's faults. Its counters
 * survive every kill of a pipeline process, and the pipeline reaches it only through the providers' URLs, as it
 * would reach the real ones.
 */
final class Providers {

    static final String REPLICATE_TOKEN = "r8_reliability_suite_token";
    static final String PINATA_JWT = "reliability-suite-pinata-jwt";
    static final String OPENAI_KEY = "reliability-suite-openai-key";
    static final String FLOWISE_KEY = "reliability-suite-flowise-key";
    static final String PERSONA_FLOW = "reliability-persona-flow";
    static final String IMAGE_PROMPT_FLOW = "reliability-image-prompt-flow";
    static final String S3_ACCESS_KEY = "reliability-suite-s3-access-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Random faults, as shares (0..1) of requests. Replicate: 429 with Retry-After, 500, held back past the client's
     * timeout, an answer that is not JSON, a prediction refused as NSFW, an output gone before it is downloaded.
     * Pinata: 429 with Retry-After, 500, held back past the client's timeout. OpenAI: 429 with retry-after-ms, 500.
     * Flowise: 500.
     */
    record Faults(double replicateThrottle, double replicateError, double replicateSlow, double replicateMalformed,
                  double replicateNsfw, double replicateExpired, double pinataThrottle, double pinataError,
                  double pinataSlow, double openaiThrottle, double openaiError, double flowiseError) {

        static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /**
         * {@code share} of the calls to each provider of the tokens (Replicate, Pinata) go wrong, spread evenly over
         * that provider's kinds of fault.
         */
        static Faults everyKind(double share) {
            double replicate = share / 6;
            double pinata = share / 3;
            return new Faults(replicate, replicate, replicate, replicate, replicate, replicate, pinata, pinata, pinata,
                    0, 0, 0);
        }

        /** The same for the avatar stage's providers (OpenAI, Flowise). */
        static Faults avatarEveryKind(double share) {
            return new Faults(0, 0, 0, 0, 0, 0, 0, 0, 0, share / 2, share / 2, share);
        }

        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("replicate", Map.of("throttle429", replicateThrottle, "error500", replicateError,
                    "slowPastTimeout", replicateSlow, "malformed", replicateMalformed, "nsfwRefusal", replicateNsfw,
                    "expiredOutput", replicateExpired));
            map.put("pinata", Map.of("throttle429", pinataThrottle, "error500", pinataError, "slowPastTimeout", pinataSlow));
            map.put("openai", Map.of("throttle429", openaiThrottle, "error500", openaiError));
            map.put("flowise", Map.of("error500", flowiseError));
            return map;
        }
    }

    /** What the simulators answered: predictions per prompt, pins per name, base images per prompt, S3 writes per key. */
    record Stats(int predictions, Map<String, Integer> predictionsByPrompt, int filePins, int jsonPins,
                 Map<String, Integer> pinsByName, Map<String, Integer> baseImagesByPrompt, int gridEdits,
                 Map<String, Integer> s3WritesByKey) {
    }

    private final Service service;

    /**
     * @param processingMillis how long a prediction runs
     * @param slowMillis       how long a slow answer is held back (past the pipeline's timeouts)
     */
    Providers(Lab lab, Path dir, Faults faults, long processingMillis, long slowMillis) {
        Map<String, String> environment = new HashMap<>();
        environment.put("GLISK_MODE", "local");
        environment.put("GLISK_LOCAL_EPHEMERAL", "true");
        for (String stage : List.of("DETECTION", "GENERATION", "IPFS", "REVEAL", "AVATAR")) {
            environment.put("GLISK_STAGES_" + stage + "_ENABLED", "false");
        }
        environment.put("REPLICATE_API_TOKEN", REPLICATE_TOKEN);
        environment.put("PINATA_JWT", PINATA_JWT);
        environment.put("OPENAI_API_KEY", OPENAI_KEY);
        environment.put("FLOWISE_API_KEY", FLOWISE_KEY);
        environment.put("FLOWISE_PERSONA_FLOW_ID", PERSONA_FLOW);
        environment.put("FLOWISE_IMAGE_PROMPT_FLOW_ID", IMAGE_PROMPT_FLOW);
        environment.put("S3_ACCESS_KEY", S3_ACCESS_KEY);
        environment.put("SIM_REPLICATE_PROCESSING_MILLIS", Long.toString(processingMillis));
        int port = FreePorts.next();
        environment.put("PORT", Integer.toString(port));
        List<String> arguments = new ArrayList<>(List.of(
                // small images: the suite measures the pipeline, not the simulator's image encoder
                "--glisk.simulators.replicate.image-size=64",
                "--glisk.simulators.replicate.slow-millis=" + slowMillis,
                "--glisk.simulators.pinata.slow-millis=" + slowMillis,
                "--glisk.simulators.replicate.throttle-rate=" + faults.replicateThrottle(),
                "--glisk.simulators.replicate.error-rate=" + faults.replicateError(),
                "--glisk.simulators.replicate.slow-rate=" + faults.replicateSlow(),
                "--glisk.simulators.replicate.malformed-rate=" + faults.replicateMalformed(),
                "--glisk.simulators.replicate.nsfw-rate=" + faults.replicateNsfw(),
                "--glisk.simulators.replicate.expired-rate=" + faults.replicateExpired(),
                "--glisk.simulators.pinata.throttle-rate=" + faults.pinataThrottle(),
                "--glisk.simulators.pinata.error-rate=" + faults.pinataError(),
                "--glisk.simulators.pinata.slow-rate=" + faults.pinataSlow(),
                "--glisk.simulators.openai.image-size=256",
                "--glisk.simulators.openai.latency-millis=" + processingMillis,
                "--glisk.simulators.openai.throttle-rate=" + faults.openaiThrottle(),
                "--glisk.simulators.openai.error-rate=" + faults.openaiError(),
                "--glisk.simulators.flowise.latency-millis=" + processingMillis / 3,
                "--glisk.simulators.flowise.error-rate=" + faults.flowiseError()));
        this.service = new Service("providers", lab, dir, port, environment, arguments);
    }

    void start() throws IOException {
        service.start();
    }

    void awaitReady() throws IOException, InterruptedException {
        service.awaitReady(Duration.ofSeconds(180));
    }

    void stop() throws InterruptedException {
        service.stop();
    }

    String replicateUrl() {
        return service.baseUrl() + "/sim/replicate";
    }

    String pinataUrl() {
        return service.baseUrl() + "/sim/pinata";
    }

    String gatewayUrl() {
        return service.baseUrl() + "/sim";
    }

    String openaiUrl() {
        return service.baseUrl() + "/sim/openai";
    }

    String flowiseUrl() {
        return service.baseUrl() + "/sim/flowise";
    }

    String s3Url() {
        return service.baseUrl() + "/sim/s3";
    }

    /** Replicate answers 503 to everyone for the next {@code seconds}. */
    void replicateOutage(int seconds) throws IOException, InterruptedException {
        var answer = service.post("/sim/control/replicate/outage?seconds=" + seconds, "", null, null);
        if (answer.statusCode() != 200) {
            throw new IOException("the Replicate simulator refused the outage: " + answer.body());
        }
    }

    Stats stats() throws IOException, InterruptedException {
        JsonNode stats = JSON.readTree(service.get("/sim/control/stats", null, null).body());
        return new Stats(stats.at("/replicate/predictions").asInt(), counts(stats.at("/replicate/predictionsByPrompt")),
                stats.at("/pinata/filePins").asInt(), stats.at("/pinata/jsonPins").asInt(),
                counts(stats.at("/pinata/pinsByName")), counts(stats.at("/openai/generationsByPrompt")),
                stats.at("/openai/edits").asInt(), counts(stats.at("/s3/writesByKey")));
    }

    private static Map<String, Integer> counts(JsonNode node) {
        Map<String, Integer> counts = new HashMap<>();
        node.properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }
}
