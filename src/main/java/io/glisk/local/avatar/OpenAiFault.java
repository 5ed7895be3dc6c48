package io.glisk.local.avatar;

/**
 * A fault the OpenAI simulator applies to the next image request (tests queue them in order).
 *
 * @param millis for RATE_LIMITED: the wait announced in retry-after-ms; for SLOW: how long the answer is held back
 */
public record OpenAiFault(Kind kind, long millis) {

    public enum Kind {
        /** 400 moderation_blocked: the safety system refused the prompt. */
        MODERATION_BLOCKED,
        /** 429 rate_limit_exceeded with retry-after-ms and retry-after. */
        RATE_LIMITED,
        /** 429 insufficient_quota: the account has no credit left. */
        INSUFFICIENT_QUOTA,
        /** 500 server_error. */
        SERVER_ERROR,
        /** The answer comes {@code millis} late, e.g. past the client's timeout. */
        SLOW
    }

    public static OpenAiFault of(Kind kind) {
        return new OpenAiFault(kind, 0);
    }

    public static OpenAiFault rateLimited(long retryAfterMillis) {
        return new OpenAiFault(Kind.RATE_LIMITED, retryAfterMillis);
    }

    public static OpenAiFault slow(long millis) {
        return new OpenAiFault(Kind.SLOW, millis);
    }
}
