package io.glisk.generation;

import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The prompt a token is generated from: the author's prompt exactly as stored, or DEFAULT_PROMPT when the
 * author has none. A stored prompt that is blank or longer than 1000 characters is refused.
 */
@Component
public class PromptResolver {

    static final int MAX_CODE_POINTS = 1000;

    private final PromptSettings settings;

    PromptResolver(PromptSettings settings) {
        this.settings = settings;
    }

    public String resolve(@Variable("prompt_text") String stored) {
        if (stored == null) {
            return settings.defaultPrompt();
        }
        if (stored.isBlank()) {
            throw new PromptValidationException("prompt is blank");
        }
        // characters as people count them (code points), like the database's char_length
        int length = stored.codePointCount(0, stored.length());
        if (length > MAX_CODE_POINTS) {
            throw new PromptValidationException(
                    "prompt is " + length + " characters long, the limit is " + MAX_CODE_POINTS);
        }
        return stored;
    }

    public String fallback() {
        return settings.fallbackCensored();
    }
}
