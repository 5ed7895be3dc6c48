package io.glisk.reveal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glisk.chain.ChainPolls;
import io.glisk.chain.IdlePacedScheduler;
import io.glisk.claim.StageFailures;
import io.glisk.events.PipelineEvents;
import io.glisk.provider.ProviderUnavailable;
import io.glisk.support.RouteTest;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The reveal stage's route file: claimed ready tokens gathered into batches, a batch that cannot be sent
 * released with the reason, one the node or the database gave no answer for waiting without counting, every
 * batch's leases ended however it went, and what a stopping route gathered sent at once.
 */
class RevealRoutesTest extends RouteTest {

    static final int MAX_TOKENS = 2;

    final Batches batches = new Batches();
    final Tokens tokens = new Tokens();
    final Leases leases = new Leases();

    @Override
    protected String[] routeFiles() {
        return new String[] {"shared.camel.yaml", "reveal.camel.yaml"};
    }

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("glisk.reveal.max-tokens", String.valueOf(MAX_TOKENS));
        // a partial batch waits longer than any test: it goes out when the route stops, or never
        settings.put("glisk.reveal.wait-millis", "60000");
        settings.put("glisk.reveal.receipt-poll-millis", "60000");
        settings.put("glisk.reveal.receipt-idle-backoff-polls", "0");
        return settings;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("events", new PipelineEvents());
        registry.bind("stageFailures", new StageFailures());
        registry.bind("revealBatches", batches);
        registry.bind("revealTokens", tokens);
        registry.bind("claimLeases", leases);
        // the service's reveal-senders thread pool profile is Spring Boot configuration (camel.threadpool.config)
        registry.bind("reveal-senders", Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().factory()));
        registry.bind("idlePacedScheduler", new IdlePacedScheduler(new ChainPolls()));
        registry.bind("revealReceipts", new Object() {
            @SuppressWarnings("unused")
            public void tick() {
                // no open transactions
            }
        });
    }

    @BeforeEach
    void replaceTheClaim() throws Exception {
        AdviceWith.adviceWith(context, "reveal", route -> route.replaceFromWith("direct:reveal"));
        context.start();
    }

    private static Map<String, Object> ready(long tokenId) {
        return Map.of("token_id", tokenId, "lease_id", UUID.randomUUID(), "metadata_cid", "bafkrei" + tokenId);
    }

    private static List<Object> ids(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> row.get("token_id")).toList();
    }

    /** Claimed tokens handed to the reveal route; returns once {@code batches} batches are over (their leases ended). */
    @SafeVarargs
    private void claimAndAwaitBatches(int batches, Map<String, Object>... rows) {
        for (Map<String, Object> row : rows) {
            template.sendBody("direct:reveal", row);
        }
        awaitBatches(batches);
    }

    private void awaitBatches(int batches) {
        await().atMost(Duration.ofSeconds(5)).until(() -> leases.ended.size() >= batches);
    }

    @Test
    void fullBatchesGoAtOnceAndWhatAStoppingRouteGatheredGoesBeforeItStops() throws Exception {
        claimAndAwaitBatches(1, ready(1), ready(2), ready(3));

        assertThat(batches.sent).extracting(RevealRoutesTest::ids).containsExactly(List.of(1L, 2L));

        context.getRouteController().stopRoute("reveal", 5, TimeUnit.SECONDS);

        awaitBatches(2);
        assertThat(batches.sent).extracting(RevealRoutesTest::ids).containsExactly(List.of(1L, 2L), List.of(3L));
        assertThat(leases.ended).extracting(RevealRoutesTest::ids).containsExactly(List.of(1L, 2L), List.of(3L));
        assertThat(tokens.released).isEmpty();
    }

    @Test
    void aBatchThatCannotBeSentReleasesItsTokensWithTheReasonAndEndsTheirLeases() {
        batches.fail(new FeesAboveCapException("fees above REVEAL_MAX_GAS_PRICE_GWEI: 500 gwei > 100 gwei"));

        claimAndAwaitBatches(1, ready(4), ready(5));

        assertThat(tokens.released).containsExactly(Map.entry(List.of(4L, 5L),
                "fees above REVEAL_MAX_GAS_PRICE_GWEI: 500 gwei > 100 gwei"));
        assertThat(tokens.waited).isEmpty();
        assertThat(leases.ended).extracting(RevealRoutesTest::ids).containsExactly(List.of(4L, 5L));
    }

    @Test
    void aBatchTheNodeGaveNoAnswerForWaitsWithoutCountingAFailure() {
        batches.fail(new IOException("Failed to connect to /127.0.0.1:8545"));

        claimAndAwaitBatches(1, ready(6), ready(7));

        assertThat(tokens.waited).containsExactly(Map.entry(List.of(6L, 7L), "Failed to connect to /127.0.0.1:8545"));
        assertThat(tokens.released).isEmpty();
        assertThat(leases.ended).extracting(RevealRoutesTest::ids).containsExactly(List.of(6L, 7L));
    }

    @Test
    void aBatchWhoseDatabaseWentAwayIsNeitherReleasedNorCounted() {
        batches.fail(new DataAccessResourceFailureException("FATAL: terminating connection due to administrator command"));
        claimAndAwaitBatches(1, ready(8), ready(9));
        // the database went while the batch was being recorded: the rollback failed too, and its error is the one
        // that comes out of the transaction
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed", "08003"));
        rollbackFailed.initApplicationException(
                new DataAccessResourceFailureException("FATAL: terminating connection due to administrator command"));
        batches.fail(rollbackFailed);
        claimAndAwaitBatches(2, ready(10), ready(11));

        assertThat(tokens.released).isEmpty();
        assertThat(tokens.waited).isEmpty();
        assertThat(leases.ended).extracting(RevealRoutesTest::ids).containsExactly(List.of(8L, 9L), List.of(10L, 11L));
    }

    /** revealBatches: records the batches it is given, or fails the next one. */
    public static final class Batches {

        final List<List<Map<String, Object>>> sent = new CopyOnWriteArrayList<>();
        private volatile Exception failure;

        void fail(Exception next) {
            failure = next;
        }

        public void send(List<Map<String, Object>> batch) throws Exception {
            Exception next = failure;
            failure = null;
            if (next != null) {
                throw next;
            }
            sent.add(batch);
        }
    }

    /**
     * revealTokens: the releases of unsent batches, as token ids and reason — counted ones, and waits for the node
     * that count nothing.
     */
    public static final class Tokens {

        final List<Map.Entry<List<Object>, String>> released = new CopyOnWriteArrayList<>();
        final List<Map.Entry<List<Object>, String>> waited = new CopyOnWriteArrayList<>();

        public void releaseBatch(List<Map<String, Object>> rows, String reason) {
            released.add(Map.entry(ids(rows), reason));
        }

        public void waitForNode(List<Map<String, Object>> rows, ProviderUnavailable unavailable) {
            waited.add(Map.entry(ids(rows), unavailable.getMessage()));
        }

        public void nodeDidNotAnswer(List<Map<String, Object>> rows, String reason) {
            waited.add(Map.entry(ids(rows), reason));
        }
    }

    /** claimLeases: the batches whose leases were ended. */
    public static final class Leases {

        final List<List<Map<String, Object>>> ended = new CopyOnWriteArrayList<>();

        public void end(List<Map<String, Object>> rows) {
            ended.add(rows);
        }
    }
}
