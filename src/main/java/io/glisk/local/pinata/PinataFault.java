package io.glisk.local.pinata;

/**
 * A fault the Pinata simulator applies to the next request of one endpoint (tests queue them in order).
 *
 * @param kind   what goes wrong
 * @param millis for SLOW: how long the answer is held back; for THROTTLE: the Retry-After in milliseconds
 *               (rounded up to whole seconds in the header)
 */
public record PinataFault(Kind kind, long millis) {

    public enum Kind {
        /** 429 with a Pinata-style error body and a Retry-After header. */
        THROTTLE,
        /** 500 with a Pinata-style error body. */
        SERVER_ERROR,
        /** 502 with an HTML body, as the proxy in front of the API sends it. */
        BAD_GATEWAY,
        /** 401 with Pinata's invalid-credentials body, even for the right JWT (a revoked key, say). */
        UNAUTHORIZED,
        /** 400 with a Pinata-style error body, whatever the request was. */
        BAD_REQUEST,
        /** The answer is held back for {@code millis} (e.g. past the client's timeout), then given as usual. */
        SLOW,
        /** 200 with a body that is not JSON; nothing is pinned. */
        MALFORMED
    }

    public static PinataFault of(Kind kind) {
        return new PinataFault(kind, 0);
    }

    public static PinataFault throttle(long retryAfterMillis) {
        return new PinataFault(Kind.THROTTLE, retryAfterMillis);
    }

    public static PinataFault slow(long millis) {
        return new PinataFault(Kind.SLOW, millis);
    }
}
