package io.glisk.ops;

import io.glisk.events.PipelineEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code db}, the one readiness follows: whether the database answers a round trip within
 * GLISK_DB_HEALTH_TIMEOUT_MILLIS. Spring Boot's own check waits for a pooled connection as long as the pool's
 * connection timeout (30 s), so while the database is away a probe would hang instead of saying DOWN. Here the
 * check runs on a thread of its own, one at a time, and a probe waits for it at most the timeout; while a check is
 * still waiting for the database, the next probes wait on that same check rather than starting more.
 */
@Component("dbHealthIndicator")
class DatabaseHealth implements HealthIndicator, DisposableBean {

    private final DataSource dataSource;
    private final long timeoutMillis;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("glisk-db-health").factory());
    private CompletableFuture<Health> check;

    DatabaseHealth(DataSource dataSource, @Value("${glisk.health.database-timeout-millis}") long timeoutMillis) {
        this.dataSource = dataSource;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Health health() {
        CompletableFuture<Health> running;
        synchronized (this) {
            if (check == null || check.isDone()) {
                check = CompletableFuture.supplyAsync(this::roundTrip, checker);
            }
            running = check;
        }
        try {
            return running.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Health.down().withDetail("error", "the database did not answer within " + timeoutMillis + " ms").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", PipelineEvents.failure(e.getCause())).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        }
    }

    private Health roundTrip() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid((int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(timeoutMillis)))) {
                return Health.down().withDetail("error", "the database connection failed its round trip").build();
            }
            return Health.up().withDetail("database", connection.getMetaData().getDatabaseProductName()).build();
        } catch (SQLException e) {
            return Health.down().withDetail("error", PipelineEvents.failure(e)).build();
        }
    }

    @Override
    public void destroy() {
        checker.shutdownNow();
    }
}
