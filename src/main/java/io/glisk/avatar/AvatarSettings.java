package io.glisk.avatar;

import io.glisk.settings.Secret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The avatar pipeline: Flowise flows for persona data and image prompts, the OpenAI Images API, and an S3
 * bucket for the pictures. Credentials and endpoints may stay empty while the avatar stage is disabled; the
 * defaults here are the ones an operator gets when the environment says nothing.
 *
 * @param openai                 OpenAI Images API
 * @param flowise                Flowise prediction API and its two flows
 * @param s3                     where images are stored and how they are reached
 * @param workerIntervalSeconds  WORKER_INTERVAL: fallback poll for tasks waiting to be worked on
 * @param personaConcurrency     AVATAR_PERSONA_CONCURRENCY: personas of a task worked on at the same time
 * @param maxConcurrentTasks     AVATAR_MAX_CONCURRENT_TASKS: tasks in work at once, all instances together; the
 *                               rest wait in order
 * @param basePromptAppend       AVATAR_BASE_PROMPT_APPEND: text added to every base-image prompt
 * @param trimNearWhite          AVATAR_TRIM_NEAR_WHITE: also trim light-grey border rows and columns off grid tiles
 * @param haltCooldownSeconds    AVATAR_HALT_COOLDOWN_SECONDS: how long the stage makes no call after a provider
 *                               refused the service as a whole (wrong key, no quota), before it tries again
 * @param dataMaxRounds          AVATAR_DATA_MAX_ROUNDS: persona-flow rounds per task, the first ask included
 * @param bioInstructions        AVATAR_BIO_INSTRUCTIONS_*: how the persona flow should write each network's bio
 */
@Validated
@ConfigurationProperties("glisk.avatar")
public record AvatarSettings(
        @Valid @NotNull @DefaultValue OpenAi openai,
        @Valid @NotNull @DefaultValue Flowise flowise,
        @Valid @NotNull @DefaultValue Storage s3,
        @DefaultValue("30") @Min(1) @Max(3600) int workerIntervalSeconds,
        @DefaultValue("2") @Min(1) @Max(32) int personaConcurrency,
        @DefaultValue("1") @Min(1) @Max(16) int maxConcurrentTasks,
        @DefaultValue("") @Size(max = 2000) String basePromptAppend,
        @DefaultValue("false") boolean trimNearWhite,
        @DefaultValue("300") @Min(1) @Max(86400) int haltCooldownSeconds,
        @DefaultValue("3") @Min(1) @Max(10) int dataMaxRounds,
        @Valid @NotNull @DefaultValue BioInstructions bioInstructions) {

    /**
     * @param apiKey                OPENAI_API_KEY
     * @param baseUrl               OPENAI_BASE_URL, without the /v1 path
     * @param imageModel            OPENAI_IMAGE_MODEL
     * @param maxConcurrentRequests OPENAI_MAX_CONCURRENT_REQUESTS: image calls in flight at once, all tasks together
     * @param timeoutSeconds        OPENAI_TIMEOUT_SECONDS: longest wait for an answer (an image takes 30–90 s)
     */
    public record OpenAi(
            Secret apiKey,
            @DefaultValue("https://api.openai.com") @NotBlank @Pattern(regexp = "https?://[^\\s/?#]+(/[^\\s?#]*)?",
                    message = "OPENAI_BASE_URL must be an http(s) URL") String baseUrl,
            @DefaultValue("gpt-image-1.5") @NotBlank @Pattern(regexp = "[\\w.:-]{1,100}",
                    message = "OPENAI_IMAGE_MODEL must be a model name such as gpt-image-1.5") String imageModel,
            @DefaultValue("4") @Min(1) @Max(64) int maxConcurrentRequests,
            @DefaultValue("300") @Min(1) @Max(1800) int timeoutSeconds) {

        public OpenAi {
            apiKey = present(apiKey);
        }
    }

    /**
     * @param url                   FLOWISE_URL, the Flowise server without the /api path
     * @param apiKey                FLOWISE_API_KEY
     * @param personaFlowId         FLOWISE_PERSONA_FLOW_ID: the flow that writes persona data
     * @param imagePromptFlowId     FLOWISE_IMAGE_PROMPT_FLOW_ID: the flow that writes image prompts for a persona
     * @param maxConcurrentRequests MULTITHREAD_FLOWISE: Flowise calls in flight at once, all tasks together
     * @param timeoutSeconds        FLOWISE_TIMEOUT_SECONDS: longest wait for an answer (a batch of personas takes minutes)
     */
    public record Flowise(
            @DefaultValue("") @Pattern(regexp = "|https?://[^\\s/?#]+(/[^\\s?#]*)?",
                    message = "FLOWISE_URL must be an http(s) URL") String url,
            Secret apiKey,
            @DefaultValue("") @Pattern(regexp = "|[\\w-]{1,100}", message = "FLOWISE_PERSONA_FLOW_ID must be a flow id")
            String personaFlowId,
            @DefaultValue("") @Pattern(regexp = "|[\\w-]{1,100}", message = "FLOWISE_IMAGE_PROMPT_FLOW_ID must be a flow id")
            String imagePromptFlowId,
            @DefaultValue("5") @Min(1) @Max(64) int maxConcurrentRequests,
            @DefaultValue("600") @Min(1) @Max(3600) int timeoutSeconds) {

        public Flowise {
            apiKey = present(apiKey);
        }
    }

    /**
     * @param endpoint      S3_ENDPOINT, e.g. a MinIO server; empty = Amazon S3 of the region
     * @param accessKey     S3_ACCESS_KEY
     * @param secretKey     S3_SECRET_KEY
     * @param bucketName    S3_BUCKET_NAME
     * @param region        S3_REGION
     * @param publicUrlBase S3_PUBLIC_URL_BASE: image URLs are {publicUrlBase}/{bucket}/{key}; empty = the endpoint
     */
    public record Storage(
            @DefaultValue("") @Pattern(regexp = "|https?://[^\\s/?#]+(/[^\\s?#]*)?",
                    message = "S3_ENDPOINT must be an http(s) URL") String endpoint,
            Secret accessKey,
            Secret secretKey,
            // S3's bucket naming rules: 3..63 lower-case letters, digits, dots and hyphens
            @DefaultValue("avatar-images") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]",
                    message = "S3_BUCKET_NAME must be a valid bucket name") String bucketName,
            @DefaultValue("us-east-1") @Pattern(regexp = "[a-z0-9-]{1,40}", message = "S3_REGION must be a region name")
            String region,
            @DefaultValue("") String publicUrlBase) {

        public Storage {
            accessKey = present(accessKey);
            secretKey = present(secretKey);
            if (publicUrlBase == null || publicUrlBase.isBlank()) {
                publicUrlBase = endpoint;
            }
        }
    }

    /** An unset credential is an empty one, never null. */
    private static Secret present(Secret secret) {
        return secret == null ? new Secret("") : secret;
    }

    /** Sent to the persona flow as instructions_facebook, _instagram, _x and _tiktok; empty = the flow's own. */
    public record BioInstructions(
            @DefaultValue("") @Size(max = 4000) String facebook,
            @DefaultValue("") @Size(max = 4000) String instagram,
            @DefaultValue("") @Size(max = 4000) String x,
            @DefaultValue("") @Size(max = 4000) String tiktok) {
    }
}
