package io.glisk.generation;

import io.glisk.authors.PromptLimits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** DEFAULT_PROMPT (for authors without a prompt) and FALLBACK_CENSORED_PROMPT (after a content refusal). */
@Validated
@ConfigurationProperties("glisk.prompts")
public record PromptSettings(
        @NotBlank @Size(max = PromptLimits.MAX_CODE_POINTS) String defaultPrompt,
        @NotBlank @Size(max = PromptLimits.MAX_CODE_POINTS) String fallbackCensored) {
}
