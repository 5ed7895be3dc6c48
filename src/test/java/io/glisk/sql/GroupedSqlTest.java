package io.glisk.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glisk.support.PipelineTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.sql.SqlConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * A statement many exchanges run at the same moment ({@code grouped-sql:}, a stage's finish): their executions
 * are committed together, each exchange still gets its own update count, and one that the database refuses fails
 * alone.
 */
class GroupedSqlTest extends PipelineTest {

    private static final String NOTE = "grouped-sql:classpath:sql-grouped/note.sql";

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;

    @BeforeEach
    void notes() {
        jdbc.execute("DROP TABLE IF EXISTS grouped_sql_notes");
        jdbc.execute("CREATE TABLE grouped_sql_notes (n int PRIMARY KEY CHECK (n >= 0), tx bigint NOT NULL)");
    }

    @Test
    void executionsSentTogetherAreCommittedTogetherEachWithItsOwnCount() throws Exception {
        List<Exchange> sent = sendAtOnce(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));

        for (Exchange exchange : sent) {
            int n = exchange.getVariable("n", Integer.class);
            assertThat(exchange.getException()).as("n=%d", n).isNull();
            assertThat(exchange.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT, Integer.class)).as("n=%d", n)
                    .isEqualTo(n == 13 ? 0 : 1);
        }
        assertThat(jdbc.queryForList("SELECT n FROM grouped_sql_notes ORDER BY n", Integer.class))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16);
        // one at a time would be 15 transactions of 20 ms each
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT tx) FROM grouped_sql_notes", Integer.class))
                .isLessThanOrEqualTo(5);
    }

    @Test
    void anExecutionTheDatabaseRefusesFailsAloneAndTheOthersAreWritten() throws Exception {
        List<Exchange> sent = sendAtOnce(List.of(1, 2, 3, -4, 5, 6, 7, 8));

        for (Exchange exchange : sent) {
            int n = exchange.getVariable("n", Integer.class);
            if (n < 0) {
                assertThat(exchange.getException()).isInstanceOf(DataIntegrityViolationException.class)
                        .hasMessageContaining("grouped_sql_notes_n_check");
            } else {
                assertThat(exchange.getException()).as("n=%d", n).isNull();
                assertThat(exchange.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT, Integer.class)).isEqualTo(1);
            }
        }
        assertThat(jdbc.queryForList("SELECT n FROM grouped_sql_notes ORDER BY n", Integer.class))
                .containsExactly(1, 2, 3, 5, 6, 7, 8);
    }

    @Test
    void aLoneExecutionIsWrittenAtOnce() {
        Exchange one = producer.send(NOTE, exchange -> exchange.setVariable("n", 42));

        assertThat(one.getException()).isNull();
        assertThat(one.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT, Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT n FROM grouped_sql_notes", Integer.class)).containsExactly(42);
    }

    @Test
    void aStatementWithAnInListIsRefusedWhenItsProducerStarts() {
        assertThatThrownBy(() -> camel.getEndpoint("grouped-sql:SELECT 1 WHERE 1 IN (:#in:ids)").createProducer())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("an IN list varies per message");
    }

    /** Sends one exchange per value from as many threads, all released at once; answers them in the same order. */
    private List<Exchange> sendAtOnce(List<Integer> values) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(values.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Exchange>> pending = new ArrayList<>();
            for (int n : values) {
                Callable<Exchange> send = () -> {
                    start.await();
                    return producer.send(NOTE, exchange -> exchange.setVariable("n", n));
                };
                pending.add(senders.submit(send));
            }
            start.countDown();
            List<Exchange> sent = new ArrayList<>();
            for (Future<Exchange> f : pending) {
                sent.add(f.get());
            }
            return sent;
        } finally {
            senders.shutdownNow();
        }
    }
}
