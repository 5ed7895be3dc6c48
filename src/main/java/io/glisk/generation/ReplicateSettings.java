package io.glisk.generation;

import io.glisk.settings.Secret;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Replicate predictions API (REPLICATE_API_TOKEN, REPLICATE_BASE_URL, REPLICATE_MODEL_VERSION).
 *
 * @param timeoutSeconds         HTTP response timeout; above Replicate's 60 s "Prefer: wait" hold
 * @param pollIntervalMillis     pause between polls of a prediction that is still running
 * @param maxRunSeconds          a prediction still running after this long counts as a transient failure
 * @param contentPolicyPatterns  case-insensitive regular expressions that mark a failed prediction's error
 *                               as a content-policy refusal (re-run with the fallback prompt)
 */
@Validated
@ConfigurationProperties("glisk.replicate")
public record ReplicateSettings(
        Secret apiToken,
        @NotNull String baseUrl,
        @Pattern(regexp = "[A-Za-z0-9][\\w.-]*/[A-Za-z0-9][\\w.-]*",
                message = "REPLICATE_MODEL_VERSION must be owner/name, e.g. black-forest-labs/flux-schnell")
        String model,
        @Min(1) @Max(600) int timeoutSeconds,
        @Min(10) @Max(60_000) int pollIntervalMillis,
        @Min(1) @Max(86_400) int maxRunSeconds,
        List<String> contentPolicyPatterns) {
}
