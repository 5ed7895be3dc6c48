package io.glisk.local;

import com.zaxxer.hikari.HikariDataSource;
import io.glisk.chain.ChainConnection;
import io.glisk.ops.AdminCredentials;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Says loudly, once everything is up, that this instance runs on simulators and where things are. */
@Component
@Profile("local")
class LocalModeBanner {

    private static final Logger log = LoggerFactory.getLogger("glisk.local");

    private final Environment environment;
    private final DataSource dataSource;
    private final ObjectProvider<ChainConnection> chain;
    private final AdminCredentials credentials;

    LocalModeBanner(Environment environment, DataSource dataSource, ObjectProvider<ChainConnection> chain,
            AdminCredentials credentials) {
        this.environment = environment;
        this.dataSource = dataSource;
        this.chain = chain;
        this.credentials = credentials;
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce() {
        String database = dataSource instanceof HikariDataSource hikari
                ? hikari.getJdbcUrl().replaceFirst("\\?.*$", "") : "(external)";
        // the one place a password is ever printed: one that local mode made up because none was set
        ChainConnection localChain = chain.getIfAvailable();
        String login = "user " + credentials.admin().user() + (credentials.passwordGenerated()
                ? ", password " + credentials.admin().password().value() + " (generated; set GLISK_ADMIN_PASSWORD to choose)"
                : ", password from GLISK_ADMIN_PASSWORD");
        log.warn("""

                ======================================================================================
                 LOCAL MODE: simulated providers, for trying things out; never for production
                   database    {}  (user {})
                   Replicate   SIMULATOR at {}
                   Pinata      SIMULATOR at {}, gateway {}/ipfs/
                   OpenAI      {}
                   Flowise     {}
                   S3          {}
                   chain       {}, contract {}
                   console     http://localhost:{}/ui/  (Hawtio at /actuator/hawtio/)  {}
                   try it      README.md, "What scripts/run-local gives you"
                ======================================================================================""",
                database, environment.getProperty("spring.datasource.username", "postgres"),
                environment.getProperty("glisk.replicate.base-url"), environment.getProperty("glisk.pinata.api-url"),
                environment.getProperty("glisk.pinata.gateway"),
                avatarProvider("glisk.avatar.openai.base-url"), avatarProvider("glisk.avatar.flowise.url"),
                avatarProvider("glisk.avatar.s3.endpoint"),
                localChain == null ? "(no chain stage enabled)" : localChain.builtInNode() ? "anvil at " + localChain.shownRpcUrl()
                        : "RPC_URL " + localChain.shownRpcUrl() + " (its path and query are not shown)",
                localChain == null ? "-" : localChain.contractAddress(),
                environment.getProperty("local.server.port", environment.getProperty("server.port", "8080")), login);
    }

    /** A built-in simulator's URL; a provider given in the environment is only said to be one (its URL may hold a key). */
    private String avatarProvider(String property) {
        if (!environment.getProperty("glisk.stages.avatar.enabled", Boolean.class, true)) {
            return "(avatar stage disabled)";
        }
        String url = environment.getProperty(property, "");
        return url.contains("/sim/") ? "SIMULATOR at " + url : "configured in the environment (not a simulator)";
    }
}
