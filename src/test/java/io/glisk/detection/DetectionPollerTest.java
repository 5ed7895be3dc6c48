package io.glisk.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.chain.ChainConnection;
import io.glisk.support.AlchemyDelivery;
import io.glisk.support.PipelineTest;
import io.glisk.support.TestChain;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Detection on a real local chain: the log poller, with the webhook and gap recovery alongside. */
@TestPropertySource(properties = {
        "glisk.stages.generation.enabled=false", "glisk.stages.ipfs.enabled=false", "glisk.stages.reveal.enabled=false",
        "glisk.detection.poll-interval-millis=200"})
@ExtendWith(OutputCaptureExtension.class)
class DetectionPollerTest extends PipelineTest {

    @Autowired
    ChainConnection connection;
    @Autowired
    CamelContext camel;
    @Value("${glisk.detection.webhook-secret}")
    String webhookSecret;
    TestChain chain;

    @BeforeEach
    void connect() {
        chain = new TestChain(connection);
    }

    @AfterEach
    void disconnect() {
        chain.close();
    }

    private void awaitTokens(int expected) {
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM tokens_s0") == expected);
    }

    @Test
    void mintsBySeveralAccountsBecomeDetectedTokensOnce() throws Exception {
        long before = chain.head();
        jdbc.update("UPDATE system_state SET value = to_jsonb(?::bigint) WHERE key = 'detection.last_block'", before);
        int[] quantities = {1, 50, 17, 2};
        String[] authors = {"0xAAaa000000000000000000000000000000000001", "0xbbBB000000000000000000000000000000000002",
                "0xAAaa000000000000000000000000000000000001", "0xcccc000000000000000000000000000000000003"};
        List<TransactionReceipt> receipts = new ArrayList<>();
        for (int i = 0; i < quantities.length; i++) {
            receipts.add(chain.mint(TestChain.MINTERS.get(i), authors[i], quantities[i]));
        }

        awaitTokens(70);

        assertThat(count("SELECT count(*) FROM tokens_s0 WHERE status = 'detected'")).isEqualTo(70);
        assertThat(count("SELECT count(*) FROM mint_events WHERE source = 'poller'")).isEqualTo(4);
        // authors compared case-insensitively: three distinct ones, created without a prompt
        assertThat(count("SELECT count(*) FROM authors WHERE prompt_text IS NULL")).isEqualTo(3);
        long firstOfSecond = jdbc.queryForObject("SELECT start_token_id FROM mint_events WHERE tx_hash = ?", Long.class,
                receipts.get(1).getTransactionHash());
        assertThat(jdbc.queryForList("SELECT DISTINCT a.wallet_address::text FROM tokens_s0 t JOIN authors a USING (author_id) "
                + "WHERE t.token_id BETWEEN ? AND ?", String.class, firstOfSecond, firstOfSecond + 49))
                .containsExactly("0xbbbb000000000000000000000000000000000002");
        Map<String, Object> event = jdbc.queryForMap("SELECT * FROM mint_events WHERE tx_hash = ?",
                receipts.get(2).getTransactionHash());
        assertThat(event).containsEntry("quantity", 17).containsEntry("minter",
                TestChain.MINTERS.get(2).getAddress().toLowerCase());

        // reading the same blocks again (a checkpoint set back by an operator, read at the next block) stores
        // nothing twice; it is set back once the poller is done with them, so that it cannot move it forward again
        await().atMost(Duration.ofSeconds(10)).until(() -> detectionCheckpoint() >= chain.head());
        jdbc.update("UPDATE system_state SET value = to_jsonb(?::bigint) WHERE key = 'detection.last_block'", before);
        chain.mine(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> detectionCheckpoint() >= chain.head());
        assertThat(count("SELECT count(*) FROM tokens_s0")).isEqualTo(70);
        assertThat(count("SELECT count(*) FROM mint_events")).isEqualTo(4);
    }

    /**
     * PostgreSQL refuses the first attempt to store mints of {@code quantity} tokens (as a connection cut by a
     * restart would), and takes every later one.
     */
    private void failFirstStoreOfMintsOf(int quantity) {
        jdbc.execute("CREATE SEQUENCE IF NOT EXISTS test_store_attempts");
        jdbc.execute("CREATE OR REPLACE FUNCTION test_fail_first_store() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.quantity = " + quantity + " AND nextval('test_store_attempts') = 1 THEN "
                + "RAISE EXCEPTION 'terminating connection due to administrator command (test)'; END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER test_fail_first_store BEFORE INSERT ON mint_events FOR EACH ROW "
                + "EXECUTE FUNCTION test_fail_first_store()");
    }

    private void storeEveryMint() {
        jdbc.execute("DROP TRIGGER IF EXISTS test_fail_first_store ON mint_events");
        jdbc.execute("DROP FUNCTION IF EXISTS test_fail_first_store()");
        jdbc.execute("DROP SEQUENCE IF EXISTS test_store_attempts");
    }

    @Test
    void aMintTheDatabaseFailedToStoreIsReadAgainNotSkipped(CapturedOutput output) throws Exception {
        camel.getRouteController().stopRoute("detection-log-poller");
        failFirstStoreOfMintsOf(7);
        try {
            // three mints in one range, the middle one failing: the poller stops there, keeps its checkpoint before
            // the range and reads the range again at its next run
            chain.mint(TestChain.MINTERS.get(0), "0xabab000000000000000000000000000000000008", 2);
            TransactionReceipt failing = chain.mint(TestChain.MINTERS.get(1), "0xabab000000000000000000000000000000000008", 7);
            chain.mint(TestChain.MINTERS.get(2), "0xabab000000000000000000000000000000000008", 3);
            camel.getRouteController().startRoute("detection-log-poller");

            awaitTokens(12);

            assertThat(jdbc.queryForObject("SELECT quantity FROM mint_events WHERE tx_hash = ?", Integer.class,
                    failing.getTransactionHash())).isEqualTo(7);
            // logged on one line with the database's own message, not the whole statement
            assertThat(output.getAll().lines().filter(line -> line.contains("detection.run_failed")
                    && line.contains("error=\"ERROR: terminating connection due to administrator command (test); "
                            + "Where: PL/pgSQL function test_fail_first_store()"))).isNotEmpty();
        } finally {
            storeEveryMint();
        }
    }

    @Test
    void aWebhookDeliveryTheDatabaseFailedToStoreIsAskedForAgain(CapturedOutput output) throws Exception {
        camel.getRouteController().stopRoute("detection-log-poller");
        TransactionReceipt receipt = null;
        failFirstStoreOfMintsOf(9);
        try {
            List<TransactionReceipt> receipts = List.of(
                    chain.mint(TestChain.MINTERS.get(3), "0xabab000000000000000000000000000000000009", 1),
                    chain.mint(TestChain.MINTERS.get(4), "0xabab000000000000000000000000000000000009", 9),
                    chain.mint(TestChain.MINTERS.get(5), "0xabab000000000000000000000000000000000009", 4));
            receipt = receipts.get(2);
            byte[] delivery = new ObjectMapper().writeValueAsBytes(AlchemyDelivery.of(receipts));
            String signature = AlchemyDelivery.signature(delivery, webhookSecret);

            HttpResponse<String> first = http("POST", "/webhooks/alchemy", delivery, "Content-Type", "application/json",
                    "X-Alchemy-Signature", signature);

            // a delivery not stored whole is refused whole, so that Alchemy sends it again
            assertThat(first.statusCode()).isEqualTo(503);
            assertThat(first.body()).contains("send it again");
            assertThat(output.getAll().lines().filter(line -> line.contains("detection.webhook_failed")))
                    .singleElement().asString().contains("terminating connection due to administrator command (test)");
            HttpResponse<String> again = http("POST", "/webhooks/alchemy", delivery, "Content-Type", "application/json",
                    "X-Alchemy-Signature", signature);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(count("SELECT count(*) FROM tokens_s0")).isEqualTo(14);
        } finally {
            storeEveryMint();
            camel.getRouteController().startRoute("detection-log-poller");
            if (receipt != null) {
                long block = receipt.getBlockNumber().longValueExact();
                await().atMost(Duration.ofSeconds(20)).until(() -> detectionCheckpoint() >= block);
            }
        }
    }

    @Test
    void pollerResumesFromItsCheckpointNotFromTheStart() throws Exception {
        chain.mint(TestChain.MINTERS.get(0), "0xdddd000000000000000000000000000000000004", 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM mint_events") == 1);
        // forget what was stored: only a checkpoint before that mint could bring it back
        jdbc.execute("TRUNCATE tokens_s0, mint_events CASCADE");

        TransactionReceipt later = chain.mint(TestChain.MINTERS.get(1), "0xdddd000000000000000000000000000000000004", 2);

        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM mint_events") == 1);
        assertThat(jdbc.queryForObject("SELECT tx_hash FROM mint_events", String.class)).isEqualTo(later.getTransactionHash());
        assertThat(count("SELECT count(*) FROM tokens_s0")).isEqualTo(2);
    }

    @Test
    void pollerAndWebhookTogetherStoreEachMintOnce() throws Exception {
        List<TransactionReceipt> receipts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            receipts.add(chain.mint(TestChain.MINTERS.get(i), "0xeeee000000000000000000000000000000000005", 10));
        }
        byte[] delivery = new ObjectMapper().writeValueAsBytes(AlchemyDelivery.of(receipts));
        String signature = AlchemyDelivery.signature(delivery, webhookSecret);

        List<CompletableFuture<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            posts.add(CompletableFuture.supplyAsync(() -> http("POST", "/webhooks/alchemy", delivery,
                    "X-Alchemy-Signature", signature, "Content-Type", "application/json").statusCode()));
        }

        assertThat(posts.stream().map(CompletableFuture::join)).containsOnly(200);
        awaitTokens(50);
        // and no more: the poller's later runs and the other deliveries store nothing twice
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> count("SELECT count(*) FROM tokens_s0") == 50);
        assertThat(count("SELECT count(*) FROM mint_events")).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM tokens_s0 WHERE mint_event_id IS NULL")).isZero();
        assertThat(count("SELECT count(*) FROM mint_events WHERE status = 'confirmed'")).isEqualTo(5);
    }

    /** Local mode asks for no confirmations: what the webhook reports is final at once, nothing waits for the poller. */
    @Test
    void withoutConfirmationsAWebhookMintIsConfirmedAtOnce() throws Exception {
        camel.getRouteController().stopRoute("detection-log-poller");
        TransactionReceipt receipt = chain.mint(TestChain.MINTERS.get(5), "0xeeee000000000000000000000000000000000006", 3);
        try {
            byte[] delivery = new ObjectMapper().writeValueAsBytes(AlchemyDelivery.of(List.of(receipt)));

            HttpResponse<String> reply = http("POST", "/webhooks/alchemy", delivery, "Content-Type", "application/json",
                    "X-Alchemy-Signature", AlchemyDelivery.signature(delivery, webhookSecret));

            assertThat(new ObjectMapper().readTree(reply.body())).isEqualTo(new ObjectMapper().readTree("{\"logs\": 4, "
                    + "\"mints\": 1, \"stored\": 1, \"duplicates\": 0, \"newTokens\": 3, \"provisional\": 0, "
                    + "\"removedLogs\": 0, \"removed\": 0}"));
            assertThat(jdbc.queryForMap("SELECT status, source FROM mint_events WHERE tx_hash = ?", receipt.getTransactionHash()))
                    .containsEntry("status", "confirmed").containsEntry("source", "webhook");
            assertThat(count("SELECT count(*) FROM tokens_s0 WHERE status = 'detected'")).isEqualTo(3);
        } finally {
            // the poller reads past this mint before the next test starts from empty tables, or it would store it there
            camel.getRouteController().startRoute("detection-log-poller");
            await().atMost(Duration.ofSeconds(20)).until(() -> detectionCheckpoint() >= receipt.getBlockNumber().longValueExact());
        }
    }

    @Test
    void gapRecoveryStoresMissedTokensIncludingRevealedOnes() throws Exception {
        chain.mint(TestChain.MINTERS.get(0), "0xffff000000000000000000000000000000000006", 5);
        chain.mint(TestChain.MINTERS.get(1), "0xffff000000000000000000000000000000000007", 3);
        awaitTokens(8);
        long first = jdbc.queryForObject("SELECT min(token_id) FROM tokens_s0", Long.class);
        // tokens of earlier tests, gone from the table but still on the chain, come back: nothing else is missing
        assertThat(admin("POST", "/api/detection/recover", null).statusCode()).isEqualTo(200);
        String cid = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
        chain.reveal(List.of(first + 1, first + 6), List.of("ipfs://" + cid, "ipfs://" + cid));
        // the pipeline lost three of them (a missed webhook, a restored backup…), and has three test tokens inserted
        // by hand past the last minted id: as many rows as ids minted, yet three are missing
        jdbc.update("DELETE FROM tokens_s0 WHERE token_id IN (?, ?, ?)", first + 1, first + 2, first + 6);
        long handMade = author("0xffff000000000000000000000000000000000008", "inserted by hand");
        for (long id = first + 8; id <= first + 10; id++) {
            detected(id, handMade);
        }

        var answer = admin("POST", "/api/detection/recover", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        var summary = new ObjectMapper().readTree(answer.body().getBytes(StandardCharsets.UTF_8));
        assertThat(summary.get("recoveredRevealed").asInt()).isEqualTo(2);
        assertThat(summary.get("recoveredDetected").asInt()).isEqualTo(1);
        assertThat(token(first + 1)).containsEntry("status", "revealed").containsEntry("metadata_cid", cid);
        assertThat(token(first + 6)).containsEntry("status", "revealed");
        assertThat(token(first + 2)).containsEntry("status", "detected");
        assertThat(jdbc.queryForObject("SELECT a.wallet_address::text FROM tokens_s0 t JOIN authors a USING (author_id) "
                + "WHERE token_id = ?", String.class, first + 6)).isEqualTo("0xffff000000000000000000000000000000000007");
        // nothing missing any more: a second run stores nothing
        assertThat(admin("POST", "/api/detection/recover", null).body()).contains("\"recoveredDetected\":0")
                .contains("\"recoveredRevealed\":0");
    }
}
