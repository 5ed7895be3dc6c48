package io.glisk.provider;

import java.time.Duration;

/** A provider failure worth retrying (timeouts, throttling, 5xx, unreadable answers). */
public class TransientProviderException extends RuntimeException {

    private final transient Duration retryAfter;

    public TransientProviderException(String message) {
        this(message, null);
    }

    public TransientProviderException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long the provider asked us to wait, when it said so. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
