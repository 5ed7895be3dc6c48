package io.glisk.settings;

import java.util.Locale;
import org.springframework.core.env.Environment;

/**
 * Local mode runs everything on one machine with simulators; live mode talks to real providers and never
 * starts a simulator. Resolved once at start-up by {@link RunModeEnvironmentPostProcessor}.
 */
public enum RunMode {
    LOCAL, LIVE;

    public static final String PROPERTY = "glisk.mode";
    public static final String LOCAL_PROFILE = "local";

    static RunMode resolve(String requested, String datasourceUrl) {
        if (requested == null || requested.isBlank()) {
            return datasourceUrl == null || datasourceUrl.isBlank() ? LOCAL : LIVE;
        }
        return switch (requested.trim().toLowerCase(Locale.ROOT)) {
            case "local" -> LOCAL;
            case "live" -> LIVE;
            default -> throw new InvalidSettingsException(
                    "GLISK_MODE must be 'local' or 'live' (or unset), was '" + requested.trim() + "'");
        };
    }

    public static boolean isLocal(Environment environment) {
        return LOCAL.name().equalsIgnoreCase(environment.getProperty(PROPERTY));
    }
}
