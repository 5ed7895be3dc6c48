package io.glisk.authors;

import java.util.Optional;

/**
 * What makes a stored prompt unusable: blank, or longer than 1000 characters as people count them (code points,
 * like the database's char_length). The API refuses such a prompt when it is set and generation refuses it when
 * it is used, with the same words, so a prompt accepted by one is never refused by the other.
 */
public final class PromptLimits {

    public static final int MAX_CODE_POINTS = 1000;

    private PromptLimits() {
    }

    /** "Prompt validation failed: …" when the prompt breaks a limit. */
    public static Optional<String> violation(String prompt) {
        if (prompt.isBlank()) {
            return Optional.of(failed("prompt is blank"));
        }
        int length = prompt.codePointCount(0, prompt.length());
        if (length > MAX_CODE_POINTS) {
            return Optional.of(failed("prompt is " + length + " characters long, the limit is " + MAX_CODE_POINTS));
        }
        return Optional.empty();
    }

    private static String failed(String reason) {
        return "Prompt validation failed: " + reason;
    }
}
