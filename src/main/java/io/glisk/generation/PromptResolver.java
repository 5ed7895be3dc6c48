package io.glisk.generation;

import io.glisk.authors.PromptLimits;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The prompt a token is generated from: the author's prompt exactly as stored, or DEFAULT_PROMPT when the
 * author has none. A stored prompt that breaks the prompt limits (blank, too long) is refused.
 */
@Component
public class PromptResolver {

    private final PromptSettings settings;

    PromptResolver(PromptSettings settings) {
        this.settings = settings;
    }

    public String resolve(@Variable("prompt_text") String stored) {
        if (stored == null) {
            return settings.defaultPrompt();
        }
        PromptLimits.violation(stored).ifPresent(violation -> {
            throw new PromptValidationException(violation);
        });
        return stored;
    }

    public String fallback() {
        return settings.fallbackCensored();
    }
}
