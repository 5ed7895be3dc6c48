package io.glisk.local.avatar;

/**
 * A fault the Flowise simulator applies to the next prediction (tests queue them in order).
 *
 * @param millis for RATE_LIMITED: the Retry-After in milliseconds (whole seconds on the wire); for SLOW: the delay
 */
public record FlowiseFault(Kind kind, long millis) {

    public enum Kind {
        /** 500 with Flowise's error body, as when the flow's model call fails. */
        SERVER_ERROR,
        /** 429 with Retry-After, as Flowise's rate limiter answers. */
        RATE_LIMITED,
        /** 200 whose text holds no JSON at all: the model talked instead of answering. */
        NO_JSON,
        /** The answer comes {@code millis} late. */
        SLOW
    }

    public static FlowiseFault of(Kind kind) {
        return new FlowiseFault(kind, 0);
    }

    public static FlowiseFault rateLimited(long retryAfterMillis) {
        return new FlowiseFault(Kind.RATE_LIMITED, retryAfterMillis);
    }

    public static FlowiseFault slow(long millis) {
        return new FlowiseFault(Kind.SLOW, millis);
    }
}
