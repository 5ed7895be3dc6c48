package io.glisk.local.replicate;

/**
 * A fault the simulator applies to the next create-prediction request (tests queue them in order).
 *
 * @param kind    what goes wrong
 * @param millis  for SLOW: how long the answer is held back; for THROTTLE: the Retry-After in milliseconds
 *                (rounded up to whole seconds in the header, as Replicate does)
 * @param message for FAILED_PREDICTION: the prediction's error text
 */
public record SimulatedFault(Kind kind, long millis, String message) {

    public enum Kind {
        /** 429 with Replicate's throttle body and a Retry-After header. */
        THROTTLE,
        /** 500 with a problem+json body. */
        SERVER_ERROR,
        /** 503 with an HTML body, as a proxy in front of the API would send. */
        UNAVAILABLE,
        /** The answer is held back for {@code millis}, e.g. past the client's timeout. */
        SLOW,
        /** 200 with a body that is not JSON. */
        MALFORMED,
        /** The prediction ends "failed" with {@code message}. */
        FAILED_PREDICTION,
        /** The prediction succeeds but its output is already gone (404) when downloaded. */
        EXPIRED_OUTPUT,
        /** 422 for the input, as Replicate answers invalid inputs. */
        INVALID_INPUT,
        /** A running prediction whose urls.get points at another host (a hostile or broken answer). */
        FOREIGN_POLL_URL,
        /** 201 with a valid-looking prediction padded past any sane size. */
        OVERSIZED
    }

    public static SimulatedFault of(Kind kind) {
        return new SimulatedFault(kind, 0, null);
    }

    public static SimulatedFault throttle(long retryAfterMillis) {
        return new SimulatedFault(Kind.THROTTLE, retryAfterMillis, null);
    }

    public static SimulatedFault slow(long millis) {
        return new SimulatedFault(Kind.SLOW, millis, null);
    }

    public static SimulatedFault failedPrediction(String error) {
        return new SimulatedFault(Kind.FAILED_PREDICTION, 0, error);
    }
}
