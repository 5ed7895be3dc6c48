package io.glisk.provider;

import java.time.Duration;

/**
 * A failure worth trying again (timeouts, throttling, 5xx, unreadable answers): the stage retries it with
 * backoff while the token has attempts left.
 */
public class TransientFailure extends RuntimeException {

    private final transient Duration retryAfter;

    public TransientFailure(String message) {
        this(message, null);
    }

    public TransientFailure(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long the provider asked us to wait, when it said so. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
