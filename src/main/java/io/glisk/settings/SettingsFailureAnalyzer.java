package io.glisk.settings;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a configuration problem into one clear start-up message instead of a stack trace. */
public class SettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingsException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set the named environment variables (see README.md, 'Configuration'), or run with no external "
                        + "database / GLISK_MODE=local to use the built-in simulators.", cause);
    }
}
