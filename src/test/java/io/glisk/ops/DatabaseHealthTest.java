package io.glisk.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The database check readiness follows answers within its bound, whatever the pool is doing. */
class DatabaseHealthTest {

    private final CountDownLatch databaseBack = new CountDownLatch(1);
    private final AtomicInteger borrows = new AtomicInteger();

    /** A pool that waits for the database, as Hikari does for up to its connection timeout while it is away. */
    private DataSource waitingPool() throws SQLException {
        Connection connection = mock(Connection.class, RETURNS_DEEP_STUBS);
        when(connection.isValid(anyInt())).thenReturn(true);
        when(connection.getMetaData().getDatabaseProductName()).thenReturn("PostgreSQL");
        DataSource pool = mock(DataSource.class);
        when(pool.getConnection()).thenAnswer(borrow -> {
            borrows.incrementAndGet();
            if (!databaseBack.await(30, TimeUnit.SECONDS)) {
                throw new SQLException("Connection is not available, request timed out after 30000ms");
            }
            return connection;
        });
        return pool;
    }

    @Test
    void downAtOnceWhileTheDatabaseDoesNotAnswerAndUpWhenItDoes() throws Exception {
        DatabaseHealth health = new DatabaseHealth(waitingPool(), 300);
        try {
            long start = System.nanoTime();
            Health first = health.health();
            Health second = health.health();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
            assertThat(first.getStatus()).isEqualTo(Status.DOWN);
            assertThat(first.getDetails()).containsEntry("error", "the database did not answer within 300 ms");
            assertThat(second.getStatus()).isEqualTo(Status.DOWN);
            // probes while one check waits never pile more checks onto the pool
            assertThat(borrows).hasValue(1);

            databaseBack.countDown();
            Health back = health.health();
            assertThat(back.getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsEntry("database", "PostgreSQL");
        } finally {
            health.destroy();
        }
    }
}
