package io.glisk.local;

import com.zaxxer.hikari.HikariDataSource;
import io.glisk.chain.ChainConnection;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private final ChainConnection chain;

    LocalModeBanner(Environment environment, DataSource dataSource, ChainConnection chain) {
        this.environment = environment;
        this.dataSource = dataSource;
        this.chain = chain;
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce() {
        String database = dataSource instanceof HikariDataSource hikari
                ? hikari.getJdbcUrl().replaceFirst("\\?.*$", "") : "(external)";
        log.warn("""

                ======================================================================================
                 LOCAL MODE: simulated providers, for trying things out; never for production
                   database    {}  (user {})
                   Replicate   SIMULATOR at {}
                   Pinata      SIMULATOR at {}, gateway {}/ipfs/
                   chain       anvil at {}, contract {}
                   try it      README.md, "What scripts/run-local gives you"
                ======================================================================================""",
                database, environment.getProperty("spring.datasource.username", "postgres"),
                environment.getProperty("glisk.replicate.base-url"), environment.getProperty("glisk.pinata.api-url"),
                environment.getProperty("glisk.pinata.gateway"), chain.rpcUrl(), chain.contractAddress());
    }
}
