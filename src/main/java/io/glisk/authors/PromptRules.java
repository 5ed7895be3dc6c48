package io.glisk.authors;

import io.glisk.web.StorableText;
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
        String problem = StorableText.problem(prompt);
        if (problem != null) {
            throw AuthorRequestRejected.badRequest("Prompt validation failed: prompt " + problem);
        }
    }
}
