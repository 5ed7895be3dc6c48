package io.glisk.local.avatar;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The built-in OpenAI Images simulator (local mode and tests).
 *
 * @param apiKey          the only bearer token accepted; any other gets OpenAI's 401
 * @param latencyMillis   how long each image takes (the real API: 30–90 s)
 * @param imageSize       side of the square images and grids, in pixels
 * @param moderationWords prompts containing one of these words are refused with moderation_blocked
 * @param throttleRate    share of requests answered 429 rate_limit_exceeded at random (0..1), for demos
 * @param errorRate       share of requests answered 500 at random (0..1), for demos
 * @param outOfQuota      every request is answered 429 insufficient_quota, as for an account without credit
 */
@ConfigurationProperties("glisk.simulators.openai")
public record OpenAiSimulatorSettings(
        String apiKey,
        long latencyMillis,
        int imageSize,
        List<String> moderationWords,
        double throttleRate,
        double errorRate,
        boolean outOfQuota) {

    public OpenAiSimulatorSettings {
        moderationWords = moderationWords == null ? List.of() : List.copyOf(moderationWords);
        imageSize = imageSize <= 0 ? 768 : Math.min(imageSize, 2048);
        latencyMillis = Math.max(0, latencyMillis);
    }
}
