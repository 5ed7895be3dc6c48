package io.glisk.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glisk.chain.ChainConnection;
import io.glisk.chain.GliskContract;
import io.glisk.cid.ContentIds;
import io.glisk.local.replicate.SimulatedFault;
import io.glisk.support.PipelineTest;
import io.glisk.support.RoutesFolder;
import io.glisk.support.TestChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A lease belongs to the claim that took the token, not to the instance: what a stopped or reloaded route
 * held goes back to its queue (or out in its batch) at once, a process that restarts under the same
 * GLISK_INSTANCE_ID inherits nothing, and a failure nobody planned for is the token's recorded error.
 */
@TestPropertySource(properties = {
        // a StatefulSet's pod name: the same after every restart
        "glisk.worker.instance-id=pod-0",
        "glisk.stages.detection.enabled=false",
        // a batch gathers for a minute: whatever a stopped route held must not wait for that
        "glisk.reveal.wait-seconds=60",
        "glisk.routes-poll-millis=200"})
class LeaseScenariosTest extends PipelineTest {

    static final Path routes = RoutesFolder.create();

    @DynamicPropertySource
    static void routesDir(DynamicPropertyRegistry registry) {
        registry.add("glisk.routes-dir", routes::toString);
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ChainConnection connection;
    @Autowired
    GliskContract contract;

    @AfterEach
    void packagedRoutesAgain() throws Exception {
        try (var files = Files.list(routes)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        awaitPackagedRoutes(camel, routes, "reveal");
        jdbc.execute("DROP TRIGGER IF EXISTS disk_full ON tokens_s0");
        // stopped first: what a test left in flight (a batch gathering for a minute) goes out or back now, while
        // its tokens exist, instead of joining the next test's tokens after they were truncated away
        for (String route : List.of("generation", "reveal")) {
            camel.getRouteController().stopRoute(route);
            camel.getRouteController().startRoute(route);
        }
    }

    private long leased() {
        return jdbc.queryForObject("SELECT count(*) FROM tokens_s0 WHERE lease_id IS NOT NULL", Long.class);
    }

    private List<Long> minted(String wallet, int quantity) throws Exception {
        try (TestChain chain = new TestChain(connection)) {
            long first = contract.nextTokenId();
            chain.mint(TestChain.MINTERS.get(1), wallet, quantity);
            return LongStream.range(first, first + quantity).boxed().toList();
        }
    }

    /** Tokens minted on the chain, then stored as ready in one statement: one claim takes them together. */
    private List<Long> mintedAndReady(String wallet, long author, int quantity) throws Exception {
        List<Long> ids = minted(wallet, quantity);
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, metadata_cid) VALUES "
                + String.join(", ", Collections.nCopies(quantity, "(?, ?, 'ready', ?)")),
                ids.stream().flatMap(id -> Stream.of(id, author, ContentIds.cidV1(("metadata " + id).getBytes()))).toArray());
        return ids;
    }

    @Test
    void aRevealRouteReloadedWhileItGathersABatchSendsItInsteadOfKeepingItsTokens() throws Exception {
        long author = author("0x7777000000000000000000000000000000000002", "gathered");
        // a token on its way to ready (a generation retry due in an hour): the batch has a reason to wait
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, next_attempt_at) "
                + "VALUES (900000, ?, 'detected', now() + interval '1 hour')", author);
        List<Long> ids = mintedAndReady("0x7777000000000000000000000000000000000002", author, 3);
        // claimed into the batch, which would wait a minute for more
        await().atMost(Duration.ofSeconds(5)).until(() -> leased() == 3);

        // an operator reloads the reveal route from GLISK_ROUTES_DIR (the same route, re-described)
        dropRouteFile(routes, "reveal.camel.yaml", """
                - route:
                    id: reveal
                    description: Reveal batches, as reloaded by an operator.
                    from:
                      uri: claim:reveal
                      parameters:
                        sql: sql/reveal/claim.sql
                        queue: ready
                        concurrency: "{{glisk.reveal.max-tokens}}"
                        holdLeases: true
                      steps:
                        - aggregate:
                            correlationExpression:
                              constant: reveal
                            aggregationStrategy: "#groupedBodies"
                            completionSize: "{{glisk.reveal.max-tokens}}"
                            completionTimeout: "{{glisk.reveal.wait-millis}}"
                            forceCompletionOnStop: true
                            steps:
                              - to: direct:reveal-send
                """);

        // what the stopped route had gathered goes out now, not in a minute, and nothing stays leased
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM tokens_s0 WHERE status = 'revealed'", Long.class) == 3);
        assertThat(leased()).isZero();
        for (long id : ids) {
            assertThat(contract.isRevealed(id)).isTrue();
        }
    }

    @Test
    void readyTokensThatTrickleInAreClaimedAFewAtATimeNotEachByItself() throws Exception {
        String wallet = "0x7777000000000000000000000000000000000004";
        long author = author(wallet, "one by one");
        // a token on its way to ready: the batch waits for more, and what it gathered stays leased meanwhile
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, next_attempt_at) "
                + "VALUES (900001, ?, 'detected', now() + interval '1 hour')", author);
        List<Long> ids = minted(wallet, 10);

        // ready one at a time, as the IPFS stage finishes them: each with its own wake-up
        long start = System.nanoTime();
        for (long id : ids) {
            jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, metadata_cid) VALUES (?, ?, 'ready', ?)",
                    id, author, ContentIds.cidV1(("metadata " + id).getBytes()));
            Thread.sleep(20);
        }
        long spanMillis = (System.nanoTime() - start) / 1_000_000;
        await().atMost(Duration.ofSeconds(5)).until(() -> leased() == 10);

        // a claim's rows share its statement's clock: at most one claim at once, then one per 200 ms interval
        long claims = count("SELECT count(DISTINCT lease_expires_at) FROM tokens_s0 WHERE lease_id IS NOT NULL");
        assertThat(claims).isLessThanOrEqualTo(2 + spanMillis / 200).isLessThan(10);
    }

    @Test
    void aBatchThatNothingCouldJoinIsSentAtOnceNotAfterItsWait() throws Exception {
        // the last two of a burst become ready together, and no token is detected, generating or uploading
        mintedAndReady("0x7777000000000000000000000000000000000003",
                author("0x7777000000000000000000000000000000000003", "last of the burst"), 2);

        // revealed within seconds, not after the minute the batch would wait for more
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM tokens_s0 WHERE status = 'revealed'", Long.class) == 2);
        // still one transaction for both
        assertThat(count("SELECT count(*) FROM reveal_transactions WHERE cardinality(token_ids) = 2")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM reveal_transactions")).isEqualTo(1);
        assertThat(leased()).isZero();
    }

    @Test
    void aStoppedStageHandsBackTheTokensItWasWorkingOn() throws Exception {
        replicate.enqueue(SimulatedFault.slow(4_000));
        detected(61, author("0xA11CE00000000000000000000000000000000061", "interrupted"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "generating".equals(status(61)));

        // stopped from Hawtio or JMX, with a short grace period for the work in flight
        camel.getRouteController().stopRoute("generation", 1, TimeUnit.SECONDS);

        // back in its queue at once, not after its lease, and left alone while the stage is off
        await().atMost(Duration.ofSeconds(2)).until(() -> "detected".equals(status(61)));
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5))
                .until(() -> "detected".equals(status(61)) && token(61).get("lease_id") == null);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_events WHERE token_id = 61 AND event = 'handed_back'",
                Integer.class)).isEqualTo(1);

        camel.getRouteController().startRoute("generation");
        await().atMost(Duration.ofSeconds(20)).until(() -> List.of("uploading", "ready", "revealed").contains(status(61)));
    }

    @Test
    void aProcessRestartedUnderTheSameInstanceIdInheritsNoLease() {
        long author = author("0xA11CE00000000000000000000000000000000062", "orphaned at restart");
        // what the previous process called pod-0 left behind when it was killed
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, generation_attempts, lease_id, lease_owner, "
                + "lease_expires_at) VALUES (62, ?, 'generating', 1, gen_random_uuid(), 'pod-0', now() + interval '2 seconds')",
                author);

        // this pod-0 never renews it: the token comes back after the lease and is made
        assertThat(awaitStatus(62, "uploading", "ready", "revealed")).containsEntry("generation_attempts", 2);
    }

    @Test
    void aFailureNoStagePlannedForIsRecordedAsTheTokensError() {
        // the database refuses to store this token's result (a full disk, a broken constraint…)
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.token_id = 63 AND NEW.status = 'uploading' THEN
                        RAISE EXCEPTION 'could not extend file: No space left on device';
                    END IF;
                    RETURN NEW;
                END $$""");
        jdbc.execute("CREATE TRIGGER disk_full BEFORE UPDATE ON tokens_s0 FOR EACH ROW EXECUTE FUNCTION disk_full()");
        detected(63, author("0xA11CE00000000000000000000000000000000063", "unstorable"));

        await().atMost(Duration.ofSeconds(10)).until(() -> token(63).get("generation_error") != null);
        Map<String, Object> token = token(63);
        assertThat(token).containsEntry("status", "detected").containsEntry("lease_id", null);
        assertThat((String) token.get("generation_error"))
                .startsWith("Unexpected failure: ")
                .contains("No space left on device")
                .doesNotContain("never finished");
        assertThat(jdbc.queryForObject("SELECT detail->>'error' FROM token_events WHERE token_id = 63 AND event = 'released'",
                String.class)).contains("No space left on device");
    }
}
