package io.glisk.provider;

/**
 * A failure that trying again as-is cannot fix (bad credentials, rejected input, a failed job, invalid data):
 * the token fails at once with this message as its reason.
 */
public class PermanentFailure extends RuntimeException {

    public PermanentFailure(String message) {
        super(message);
    }
}
