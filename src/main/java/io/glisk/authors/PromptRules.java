package io.glisk.authors;

import org.springframework.stereotype.Component;

/**
 * Whether a prompt may be stored: the limits generation applies ({@link PromptLimits}) — so a prompt accepted
 * here is never refused there — and text PostgreSQL and UTF-8 can hold byte for byte.
 */
@Component
class PromptRules {

    void check(String prompt) {
        PromptLimits.violation(prompt).ifPresent(violation -> {
            throw AuthorRequestRejected.badRequest(violation);
        });
        // PostgreSQL text cannot hold U+0000, and a lone surrogate has no UTF-8 form (it would be signed and
        // stored as something other than what was sent)
        if (prompt.indexOf('\0') >= 0) {
            throw AuthorRequestRejected.badRequest("Prompt validation failed: prompt contains U+0000, which cannot be stored");
        }
        if (!isWellFormed(prompt)) {
            throw AuthorRequestRejected.badRequest("Prompt validation failed: prompt contains an unpaired surrogate (not valid Unicode)");
        }
    }

    private static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
