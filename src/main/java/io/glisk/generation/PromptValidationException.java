package io.glisk.generation;

import io.glisk.provider.PermanentFailure;

/** The author's stored prompt cannot be sent: the token fails without a provider call. */
class PromptValidationException extends PermanentFailure {

    PromptValidationException(String violation) {
        super(violation);
    }
}
