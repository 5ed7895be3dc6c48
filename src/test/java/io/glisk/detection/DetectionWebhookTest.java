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
 * confirmations here, so whatever is stored came from the webhook (until a test buries the mints).
 */
@TestPropertySource(properties = {
        "glisk.stages.generation.enabled=false", "glisk.stages.ipfs.enabled=false", "glisk.stages.reveal.enabled=false",
        "glisk.detection.poll-interval-millis=200", "glisk.chain.confirmations=1000"})
class DetectionWebhookTest extends PipelineTest {

    static final ObjectMapper JSON = new ObjectMapper();

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

    private int count(String sql) {
        return jdbc.queryForObject(sql, Integer.class);
    }

    private TransactionReceipt mint(int minter, int quantity) throws IOException {
        return chain.mint(TestChain.MINTERS.get(minter), "0x1234000000000000000000000000000000000009", quantity);
    }

    @Test
    void everyMatchingLogOfADeliveryIsStored() throws Exception {
        List<TransactionReceipt> receipts = List.of(mint(0, 3), mint(1, 5));

        HttpResponse<String> reply = deliver(AlchemyDelivery.of(receipts));

        assertThat(reply.statusCode()).isEqualTo(200);
        // each mint's receipt also holds its Transfer logs: counted, not stored
        assertThat(json(reply)).isEqualTo(JSON.readTree("{\"logs\": 10, \"mints\": 2, \"stored\": 2, \"duplicates\": 0, \"newTokens\": 8}"));
        assertThat(count("SELECT count(*) FROM tokens_s0 WHERE status = 'detected'")).isEqualTo(8);
        assertThat(count("SELECT count(*) FROM mint_events WHERE source = 'webhook'")).isEqualTo(2);
    }

    @Test
    void duplicateDeliveriesStoreNothingTwice() throws Exception {
        JsonNode delivery = AlchemyDelivery.of(List.of(mint(0, 4)));
        deliver(delivery);

        HttpResponse<String> again = deliver(delivery);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("stored").asInt()).isZero();
        assertThat(json(again).get("duplicates").asInt()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM tokens_s0")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM mint_events")).isEqualTo(1);
    }

    @Test
    void aDuplicateFirstLogNeverHidesTheNewOnesAfterIt() throws Exception {
        TransactionReceipt seen = mint(0, 2);
        deliver(AlchemyDelivery.of(List.of(seen)));
        TransactionReceipt fresh = mint(1, 6);

        HttpResponse<String> reply = deliver(AlchemyDelivery.of(List.of(seen, fresh)));

        assertThat(json(reply).get("stored").asInt()).isEqualTo(1);
        assertThat(json(reply).get("duplicates").asInt()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM tokens_s0")).isEqualTo(8);
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

        assertThat(deliver(truncated, AlchemyDelivery.signature(truncated, secret))).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"error\":\"body is not valid JSON\"}");
        });
        assertThat(json(deliver(wrongIndex)).get("error").asText())
                .isEqualTo("event.data.block.logs[3].index must be a non-negative integer");
        assertThat(json(deliver(wrongLogs)).get("error").asText()).isEqualTo("event.data.block.logs must be an array");
        assertThat(deliver(numericTopic).statusCode()).isEqualTo(400);
        assertThat(json(deliver(noEvent)).get("error").asText()).isEqualTo("event must be an object");
        // the valid logs beside the bad ones were not stored either
        assertThat(count("SELECT count(*) FROM tokens_s0")).isZero();
    }

    @Test
    void oversizedDeliveriesAreRefusedBeforeTheyAreRead() {
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMegabytes, (byte) ' ');

        HttpResponse<String> reply = deliver(tenMegabytes, AlchemyDelivery.signature(tenMegabytes, secret));

        assertThat(reply.statusCode()).isEqualTo(413);
    }

    @Test
    void logsOfOtherContractsFailedTransactionsAndReorgsAreNotStored() throws Exception {
        TransactionReceipt receipt = mint(0, 2);
        ObjectNode otherContract = AlchemyDelivery.of(List.of(receipt),
                log -> ((ObjectNode) log.get("account")).put("address", "0x000000000000000000000000000000000000dead"));
        ObjectNode failedTransaction = AlchemyDelivery.of(List.of(receipt),
                log -> ((ObjectNode) log.get("transaction")).put("status", 0));
        ObjectNode removed = AlchemyDelivery.of(List.of(receipt), log -> log.put("removed", true));

        for (ObjectNode delivery : List.of(otherContract, failedTransaction, removed)) {
            HttpResponse<String> reply = deliver(delivery);
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(json(reply).get("mints").asInt()).isZero();
        }
        assertThat(count("SELECT count(*) FROM tokens_s0")).isZero();
    }

    @Test
    void anEmptySecretRefusesEveryDelivery() {
        AlchemyDeliveries noSecret = new AlchemyDeliveries(contract,
                new DetectionSettings(0, true, new Secret(""), 1024 * 1024, 10));
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
    }
}
