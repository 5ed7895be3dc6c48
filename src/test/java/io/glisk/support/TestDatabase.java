package io.glisk.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server for the whole test JVM (binaries from Maven, started once, about a second),
 * and a fresh database for each Spring context that asks for one.
 */
public final class TestDatabase {

    private static final AtomicInteger databases = new AtomicInteger();
    private static volatile EmbeddedPostgres server;

    private TestDatabase() {
    }

    /** Creates an empty database and answers its JDBC URL (user postgres, no password). */
    public static String newDatabase() {
        String name = "glisk_test_" + databases.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    private static EmbeddedPostgres server() {
        if (server == null) {
            synchronized (TestDatabase.class) {
                if (server == null) {
                    try {
                        EmbeddedPostgres started = EmbeddedPostgres.builder()
                                .setServerConfig("max_connections", "400")
                                .start();
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                            try {
                                started.close();
                            } catch (IOException ignored) {
                                // the JVM is going away anyway
                            }
                        }));
                        server = started;
                    } catch (IOException e) {
                        throw new UncheckedIOException("could not start the test PostgreSQL server", e);
                    }
                }
            }
        }
        return server;
    }
}
