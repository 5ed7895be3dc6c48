package io.glisk.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real PostgreSQL server for the whole test JVM (binaries from Maven, started once, about a second),
 * and a fresh database for each Spring context that asks for one.
 */
public final class TestDatabase {

    private static final AtomicInteger databases = new AtomicInteger();
    private static volatile EmbeddedPostgres server;
    private static final List<ConfigurableApplicationContext> users = new CopyOnWriteArrayList<>();

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

    /**
     * The cached test contexts close in shutdown hooks, which the JVM runs all at once: without this, the server
     * could stop first, and their pools would wait for connections to a server that is gone.
     */
    static void closeBeforeTheServer(ConfigurableApplicationContext context) {
        users.add(context);
    }

    private static EmbeddedPostgres server() {
        if (server == null) {
            synchronized (TestDatabase.class) {
                if (server == null) {
                    try {
                        EmbeddedPostgres started = EmbeddedPostgres.builder()
                                .setServerConfig("max_connections", "400")
                                .setPort(FreePorts.next())
                                // stopped by our own hook, after the contexts that use it
                                .setRegisterShutdownHook(false)
                                .start();
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                            // waits for a close already under way in Spring's own hook
                            users.forEach(ConfigurableApplicationContext::close);
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
