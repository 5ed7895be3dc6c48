package io.glisk.local.replicate;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The built-in Replicate simulator (local mode and tests).
 *
 * @param token            the only bearer token accepted; any other gets 401
 * @param processingMillis how long a prediction runs before it succeeds
 * @param waitSeconds      most a "Prefer: wait" request is held (Replicate: 60)
 * @param outputTtlSeconds outputs answer 404 after this (Replicate deletes them after about an hour)
 * @param imageSize        side of the generated square image in pixels
 * @param nsfwWords        prompts containing one of these words fail with Replicate's NSFW error
 * @param throttleRate     share of create requests answered 429 at random (0..1), for demos
 * @param errorRate        share of create requests answered 500 at random (0..1), for demos
 * @param slowRate         share of create requests held back {@code slowMillis} before they are answered
 * @param slowMillis       how long a slow answer is held back (default 90 s: past any sane client timeout)
 * @param malformedRate    share of create requests answered with a body that is not JSON
 * @param nsfwRate         share of predictions that fail with the NSFW error, whatever their prompt
 * @param expiredRate      share of predictions that succeed with an output already gone (404)
 * @param models           owner/name of the models that exist; others answer 404
 */
@ConfigurationProperties("glisk.simulators.replicate")
public record ReplicateSimulatorSettings(
        String token,
        long processingMillis,
        int waitSeconds,
        long outputTtlSeconds,
        int imageSize,
        List<String> nsfwWords,
        double throttleRate,
        double errorRate,
        double slowRate,
        long slowMillis,
        double malformedRate,
        double nsfwRate,
        double expiredRate,
        List<String> models) {

    public ReplicateSimulatorSettings {
        nsfwWords = nsfwWords == null ? List.of() : List.copyOf(nsfwWords);
        models = models == null || models.isEmpty()
                ? List.of("black-forest-labs/flux-schnell", "black-forest-labs/flux-dev", "black-forest-labs/flux-pro")
                : List.copyOf(models);
        imageSize = imageSize <= 0 ? 256 : imageSize;
        waitSeconds = waitSeconds <= 0 ? 60 : waitSeconds;
        outputTtlSeconds = outputTtlSeconds <= 0 ? 3600 : outputTtlSeconds;
        slowMillis = slowMillis <= 0 ? 90_000 : slowMillis;
    }
}
