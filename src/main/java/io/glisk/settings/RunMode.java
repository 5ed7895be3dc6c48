package io.glisk.settings;

import java.util.Locale;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

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

    /**
     * Local mode starts its own anvil unless RPC_URL names a chain (docker-compose's anvil, say): then the chain
     * settings are read as in live mode, while the providers stay simulated.
     */
    public static boolean startsOwnChain(Environment environment) {
        String rpcUrl = environment.getProperty("glisk.chain.rpc-url");
        return isLocal(environment) && (rpcUrl == null || rpcUrl.isBlank());
    }

    /** Matches when local mode starts its own chain. */
    public static final class OwnChain implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return startsOwnChain(context.getEnvironment());
        }
    }

    /** Matches when the chain comes from the settings (live mode, or local mode with RPC_URL). */
    public static final class ConfiguredChain implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !startsOwnChain(context.getEnvironment());
        }
    }
}
