package io.glisk.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glisk.chain.ChainConnection;
import io.glisk.chain.GliskContract;
import io.glisk.settings.Secret;
import io.glisk.support.AlchemyDelivery;
import io.glisk.support.PipelineTest;
import io.glisk.support.TestChain;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The Alchemy webhook with deliveries built from real mint receipts. The log poller waits for 1000
 * confirmations here, so whatever is stored came from the webhook (until a test buries the mints), and is
 * provisional: a mint row without tokens until the poller confirms it.
 */
@TestPropertySource(properties = {
        "glisk.stages.generation.enabled=false", "glisk.stages.ipfs.enabled=false", "glisk.stages.reveal.enabled=false",
        "glisk.detection.poll-interval-millis=200", "glisk.chain.confirmations=1000"})
class DetectionWebhookTest extends PipelineTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String AUTHOR = "0x1234000000000000000000000000000000000009";

    @Autowired
    ChainConnection connection;
    @Autowired
    GliskContract contract;
    @Autowired
    CamelContext camel;
    @Value("${glisk.detection.webhook-secret}")
    String secret;
    TestChain chain;

    @BeforeEach
    void connect() {
        chain = new TestChain(connection);
    }

    @AfterEach
    void disconnect() {
        chain.close();
    }

    private HttpResponse<String> deliver(byte[] body, String signature) {
        return signature == null
                ? http("POST", "/webhooks/alchemy", body, "Content-Type", "application/json")
                : http("POST", "/webhooks/alchemy", body, "Content-Type", "application/json", "X-Alchemy-Signature", signature);
    }

    private HttpResponse<String> deliver(JsonNode delivery) throws IOException {
        byte[] body = JSON.writeValueAsBytes(delivery);
        return deliver(body, AlchemyDelivery.signature(body, secret));
    }

    private JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private TransactionReceipt mint(int minter, int quantity) throws IOException {
        return chain.mint(TestChain.MINTERS.get(minter), AUTHOR, quantity);
    }

    /** Mints in one block: an Alchemy delivery is one block's logs. */
    private List<TransactionReceipt> mintInOneBlock(int quantity, int otherQuantity) throws IOException {
        return chain.sendInOneBlock(chain.signMint(TestChain.MINTERS.get(0), AUTHOR, quantity),
                chain.signMint(TestChain.MINTERS.get(1), AUTHOR, otherQuantity));
    }

    @Test
    void everyMatchingLogOfADeliveryIsStoredAsAProvisionalMint() throws Exception {
        List<TransactionReceipt> receipts = mintInOneBlock(3, 5);

        HttpResponse<String> reply = deliver(AlchemyDelivery.of(receipts));

        assertThat(reply.statusCode()).isEqualTo(200);
        // each mint's receipt also holds its Transfer logs: counted, not stored
        assertThat(json(reply)).isEqualTo(JSON.readTree("{\"logs\": 10, \"mints\": 2, \"stored\": 2, \"duplicates\": 0, "
                + "\"newTokens\": 0, \"provisional\": 2, \"removedLogs\": 0, \"removed\": 0}"));
        assertThat(count("SELECT count(*) FROM mint_events WHERE source = 'webhook' AND status = 'provisional' "
                + "AND confirmed_at IS NULL")).isEqualTo(2);
        // nothing for a paid stage to take before the mints are confirmed
        assertThat(count("SELECT count(*) FROM tokens_s0")).isZero();
        // authors come with confirmed mints only
        assertThat(count("SELECT count(*) FROM authors")).isZero();
    }

    @Test
    void duplicateDeliveriesStoreNothingTwice() throws Exception {
        JsonNode delivery = AlchemyDelivery.of(List.of(mint(0, 4)));
        deliver(delivery);

        HttpResponse<String> again = deliver(delivery);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("stored").asInt()).isZero();
        assertThat(json(again).get("duplicates").asInt()).isEqualTo(1);
        assertThat(json(again).get("provisional").asInt()).isZero();
        assertThat(count("SELECT count(*) FROM mint_events")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM tokens_s0")).isZero();
    }

    @Test
    void aDuplicateFirstLogNeverHidesTheNewOnesAfterIt() throws Exception {
        List<TransactionReceipt> block = mintInOneBlock(2, 6);
        TransactionReceipt seen = block.get(0);
        TransactionReceipt fresh = block.get(1);
        deliver(AlchemyDelivery.of(List.of(seen)));

        HttpResponse<String> reply = deliver(AlchemyDelivery.of(block));

        assertThat(json(reply).get("stored").asInt()).isEqualTo(1);
        assertThat(json(reply).get("duplicates").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT tx_hash FROM mint_events ORDER BY id", String.class))
                .containsExactly(seen.getTransactionHash(), fresh.getTransactionHash());
    }

    @Test
    void wrongOrMissingSignaturesAreRefusedAndNothingIsStored() throws Exception {
        byte[] body = JSON.writeValueAsBytes(AlchemyDelivery.of(List.of(mint(0, 2))));
        String good = AlchemyDelivery.signature(body, secret);
        String flipped = (good.charAt(0) == '0' ? "1" : "0") + good.substring(1);

        assertThat(deliver(body, null).statusCode()).isEqualTo(401);
        assertThat(deliver(body, flipped).statusCode()).isEqualTo(401);
        assertThat(deliver(body, AlchemyDelivery.signature(body, "another-secret")).statusCode()).isEqualTo(401);
        assertThat(deliver(body, "not-hex").statusCode()).isEqualTo(401);
        // signed, then altered in transit
        byte[] altered = Arrays.copyOf(body, body.length);
        altered[altered.length - 3] ^= 1;
        HttpResponse<String> tampered = deliver(altered, good);
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(json(tampered).get("error").asText()).isEqualTo("signature does not match the body");
        assertThat(count("SELECT count(*) FROM tokens_s0")).isZero();
    }

    @Test
    void malformedDeliveriesAreRefusedWhole() throws Exception {
        ObjectNode delivery = AlchemyDelivery.of(List.of(mint(0, 2), mint(1, 2)));
        byte[] whole = JSON.writeValueAsBytes(delivery);
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
        ObjectNode wrongIndex = delivery.deepCopy();
        ((ObjectNode) wrongIndex.at("/event/data/block/logs/3")).put("index", "three");
        ObjectNode wrongLogs = delivery.deepCopy();
        ((ObjectNode) wrongLogs.at("/event/data/block")).put("logs", "none");
        ObjectNode numericTopic = delivery.deepCopy();
        ((ArrayNode) numericTopic.at("/event/data/block/logs/0/topics")).add(42);
        ObjectNode noEvent = JSON.createObjectNode().put("type", "GRAPHQL");
        ObjectNode removedNotBoolean = delivery.deepCopy();
        ((ObjectNode) removedNotBoolean.at("/event/data/block/logs/2")).put("removed", "yes");
        ObjectNode removedWithoutTransaction = delivery.deepCopy();
        ((ObjectNode) removedWithoutTransaction.at("/event/data/block/logs/5")).put("removed", true).remove("transaction");

        assertThat(deliver(truncated, AlchemyDelivery.signature(truncated, secret))).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"error\":\"body is not valid JSON\"}");
        });
        assertThat(json(deliver(wrongIndex)).get("error").asText())
                .isEqualTo("event.data.block.logs[3].index must be a non-negative integer");
        assertThat(json(deliver(wrongLogs)).get("error").asText()).isEqualTo("event.data.block.logs must be an array");
        assertThat(deliver(numericTopic).statusCode()).isEqualTo(400);
        assertThat(json(deliver(noEvent)).get("error").asText()).isEqualTo("event must be an object");
        assertThat(deliver(removedNotBoolean)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(json(r).get("error").asText()).isEqualTo("event.data.block.logs[2].removed must be a boolean");
        });
        assertThat(json(deliver(removedWithoutTransaction)).get("error").asText())
                .isEqualTo("event.data.block.logs[5].transaction must be an object");
        // the valid logs beside the bad ones were not stored either
        assertThat(count("SELECT count(*) FROM mint_events")).isZero();
    }

    @Test
    void oversizedDeliveriesAreRefusedBeforeTheyAreRead() {
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMegabytes, (byte) ' ');

        HttpResponse<String> reply = deliver(tenMegabytes, AlchemyDelivery.signature(tenMegabytes, secret));

        assertThat(reply.statusCode()).isEqualTo(413);
    }

    @Test
    void logsOfOtherContractsFailedTransactionsAndRemovalsOfUnknownMintsStoreNothing() throws Exception {
        TransactionReceipt receipt = mint(0, 2);
        ObjectNode otherContract = AlchemyDelivery.of(List.of(receipt),
                log -> ((ObjectNode) log.get("account")).put("address", "0x000000000000000000000000000000000000dead"));
        ObjectNode failedTransaction = AlchemyDelivery.of(List.of(receipt),
                log -> ((ObjectNode) log.get("transaction")).put("status", 0));
        ObjectNode removedOtherContract = AlchemyDelivery.of(List.of(receipt), log -> {
            log.put("removed", true);
            ((ObjectNode) log.get("account")).put("address", "0x000000000000000000000000000000000000dead");
        });

        for (ObjectNode delivery : List.of(otherContract, failedTransaction, removedOtherContract)) {
            HttpResponse<String> reply = deliver(delivery);
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(json(reply).get("mints").asInt()).isZero();
            assertThat(json(reply).get("removedLogs").asInt()).isZero();
        }
        // a removed log of a mint never seen: read, nothing to remove, nothing stored (not even as removed)
        HttpResponse<String> unknown = deliver(AlchemyDelivery.of(List.of(receipt), log -> log.put("removed", true)));
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(json(unknown).get("removedLogs").asInt()).isEqualTo(1);
        assertThat(json(unknown).get("removed").asInt()).isZero();
        assertThat(count("SELECT count(*) FROM mint_events")).isZero();
        assertThat(count("SELECT count(*) FROM tokens_s0")).isZero();
    }

    @Test
    void anEmptySecretRefusesEveryDelivery() {
        AlchemyDeliveries noSecret = new AlchemyDeliveries(contract,
                new DetectionSettings(0, true, new Secret(""), 1024 * 1024, 10, 600));
        DefaultExchange exchange = new DefaultExchange(camel);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.getMessage().setBody(body);
        // HMAC with an empty key is still a valid HMAC: exactly what must not be accepted
        exchange.getMessage().setHeader(AlchemyDeliveries.SIGNATURE_HEADER, AlchemyDelivery.signature(body, "x"));

        assertThatThrownBy(() -> noSecret.verify(exchange)).isInstanceOf(WebhookRejectedException.class)
                .hasMessage("missing or malformed X-Alchemy-Signature");
    }

    @Test
    void webhookFirstThenPollerOnceTheBlocksAreConfirmed() throws Exception {
        TransactionReceipt viaWebhook = mint(0, 3);
        deliver(AlchemyDelivery.of(List.of(viaWebhook)));
        TransactionReceipt missedByWebhook = mint(1, 2);
        // a few poller runs (every 200 ms): nothing is 1000 blocks deep yet
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> count("SELECT count(*) FROM tokens_s0") == 0);

        chain.mine(1000);

        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM mint_events WHERE tx_hash = '"
                + missedByWebhook.getTransactionHash() + "'") == 1);
        assertThat(jdbc.queryForObject("SELECT source FROM mint_events WHERE tx_hash = ?", String.class,
                viaWebhook.getTransactionHash())).isEqualTo("webhook");
        assertThat(jdbc.queryForObject("SELECT source FROM mint_events WHERE tx_hash = ?", String.class,
                missedByWebhook.getTransactionHash())).isEqualTo("poller");
        assertThat(count("SELECT count(*) FROM tokens_s0 t JOIN mint_events e ON e.id = t.mint_event_id "
                + "WHERE e.tx_hash IN ('" + viaWebhook.getTransactionHash() + "', '" + missedByWebhook.getTransactionHash() + "')"))
                .isEqualTo(5);
        assertThat(count("SELECT count(*) FROM mint_events WHERE status = 'confirmed' AND confirmed_at IS NOT NULL")).isEqualTo(2);
    }
}
