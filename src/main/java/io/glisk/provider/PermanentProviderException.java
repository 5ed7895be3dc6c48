package io.glisk.provider;

/** A provider failure that retrying as-is cannot fix (bad credentials, rejected input, a failed job). */
public class PermanentProviderException extends RuntimeException {

    public PermanentProviderException(String message) {
        super(message);
    }
}
