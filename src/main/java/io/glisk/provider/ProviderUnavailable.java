package io.glisk.provider;

import java.time.Duration;

/**
 * The provider cannot be called now, for everyone: its circuit is open after most recent calls failed, or it
 * asked us to slow down (429). No request was sent, or the one sent was turned away, so the work waits for
 * the provider without spending an attempt: an outage or a rate limit is not the work's fault.
 */
public class ProviderUnavailable extends RuntimeException {

    private final String provider;
    private final transient Duration wait;

    public ProviderUnavailable(String provider, String message, Duration wait) {
        super(message);
        this.provider = provider;
        this.wait = wait;
    }

    public String provider() {
        return provider;
    }

    /** How long until the provider may take calls again (at least a second). */
    public Duration waitDuration() {
        return wait;
    }

    /** The wait in whole seconds, for SQL and YAML. */
    public long getWaitSeconds() {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
