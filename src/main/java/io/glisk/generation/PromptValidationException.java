package io.glisk.generation;

/** The author's stored prompt cannot be sent: the token fails without a provider call. */
public class PromptValidationException extends RuntimeException {

    PromptValidationException(String reason) {
        super("Prompt validation failed: " + reason);
    }
}
