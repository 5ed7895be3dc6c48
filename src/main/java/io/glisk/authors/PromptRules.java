package io.glisk.authors;

import io.glisk.generation.PromptResolver;
import io.glisk.generation.PromptValidationException;
import org.springframework.stereotype.Component;

/**
 * Whether a prompt may be stored: the rules generation applies (SPEC §3.2, {@link PromptResolver}) — so a prompt
 * accepted here is never refused there — and text PostgreSQL and UTF-8 can hold byte for byte.
 */
@Component
class PromptRules {

    private final PromptResolver resolver;

    PromptRules(PromptResolver resolver) {
        this.resolver = resolver;
    }

    void check(String prompt) {
        try {
            resolver.resolve(prompt);
        } catch (PromptValidationException e) {
            throw AuthorRequestRejected.badRequest(e.getMessage());
        }
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
