package io.glisk.reliability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server (binaries from Maven) on a fixed port and data directory, so that it can be stopped —
 * every client cut off, as when the server goes down — and started again on the same data.
 */
final class Postgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    Postgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    synchronized void start() throws IOException {
        Files.createDirectories(dataDir);
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                // three instances with their pools and the suite's own reads
                .setServerConfig("max_connections", "300")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
    }

    /** A fast shutdown: open transactions roll back, every connection is closed. */
    synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    synchronized boolean running() {
        return server != null;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A fresh, empty database. */
    void createDatabase(String name) throws SQLException {
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
    }

    DataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"127.0.0.1"});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser("postgres");
        dataSource.setConnectTimeout(5);
        dataSource.setSocketTimeout(30);
        return dataSource;
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
