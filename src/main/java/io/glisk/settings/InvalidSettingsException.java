package io.glisk.settings;

/** A start-up configuration problem, reported by {@link SettingsFailureAnalyzer} as one readable message. */
public class InvalidSettingsException extends RuntimeException {

    public InvalidSettingsException(String message) {
        super(message);
    }
}
