package io.glisk.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.chain.GliskContract;
import io.glisk.chain.MintEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import io.glisk.settings.ConditionalOnStage;

/**
 * Alchemy "custom" (GraphQL) webhook deliveries: the signature checked over the raw bytes, then every log
 * read and checked. BatchMinted logs of our contract from successful transactions become mints, or removals
 * when Alchemy marks them {@code removed} (their block left the chain in a reorg); anything else in a delivery
 * is counted and ignored. A delivery that does not follow the schema is refused whole (nothing stored), so the
 * sender can fix and resend it.
 */
@ConditionalOnStage("detection")
@Component("alchemyDeliveries")
public class AlchemyDeliveries {

    public static final String SIGNATURE_HEADER = "X-Alchemy-Signature";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GliskContract contract;
    private final SecretKeySpec key;

    AlchemyDeliveries(GliskContract contract, DetectionSettings settings) {
        this.contract = contract;
        byte[] secret = settings.webhookSecret() == null || settings.webhookSecret().isBlank() ? new byte[0]
                : settings.webhookSecret().value().getBytes(StandardCharsets.UTF_8);
        this.key = secret.length == 0 ? null : new SecretKeySpec(secret, "HmacSHA256");
    }

    /** What a delivery held: the mints to store, the mints a reorg removed, and how many logs there were. */
    public record Delivery(List<MintEvent> mints, List<MintEvent> removals, int logs) {
    }

    /**
     * Checks X-Alchemy-Signature (lower-case hex HMAC-SHA256 of the raw body) in constant time and leaves the
     * raw bytes as the body. No secret configured means every delivery is refused.
     */
    public void verify(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        exchange.getMessage().setBody(body == null ? new byte[0] : body);
        String signature = exchange.getMessage().getHeader(SIGNATURE_HEADER, String.class);
        if (key == null || signature == null || !signature.strip().matches("[0-9a-fA-F]{64}")) {
            throw new WebhookRejectedException(401, "missing or malformed " + SIGNATURE_HEADER);
        }
        byte[] expected = hmac(exchange.getMessage().getBody(byte[].class));
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature.strip()))) {
            throw new WebhookRejectedException(401, "signature does not match the body");
        }
    }

    public Delivery read(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new WebhookRejectedException(400, "body is not valid JSON");
        }
        JsonNode block = path(root, "", "event", "data", "block");
        JsonNode logs = block.get("logs");
        if (logs == null || !logs.isArray()) {
            throw new WebhookRejectedException(400, "event.data.block.logs must be an array");
        }
        long blockNumber = number(block.get("number"), "event.data.block.number");
        String blockHash = optionalText(block.get("hash"), "event.data.block.hash");
        List<MintEvent> mints = new ArrayList<>();
        List<MintEvent> removals = new ArrayList<>();
        for (int i = 0; i < logs.size(); i++) {
            String where = "event.data.block.logs[" + i + "]";
            JsonNode log = logs.get(i);
            if (!log.isObject()) {
                throw new WebhookRejectedException(400, where + " must be an object");
            }
            String address = text(path(log, where, "account").get("address"), where + ".account.address");
            List<String> topics = new ArrayList<>();
            JsonNode topicNodes = log.get("topics");
            if (topicNodes == null || !topicNodes.isArray()) {
                throw new WebhookRejectedException(400, where + ".topics must be an array");
            }
            topicNodes.forEach(t -> topics.add(text(t, where + ".topics[]")));
            String data = text(log.get("data"), where + ".data");
            long index = number(log.get("index"), where + ".index");
            JsonNode transaction = path(log, where, "transaction");
            String txHash = text(transaction.get("hash"), where + ".transaction.hash");
            if (!txHash.matches("0x[0-9a-fA-F]{64}")) {
                throw new WebhookRejectedException(400, where + ".transaction.hash is not a transaction hash");
            }
            JsonNode status = transaction.get("status");
            boolean failed = status != null && !status.isNull() && number(status, where + ".transaction.status") != 1;
            JsonNode removed = log.get("removed");
            if (removed != null && !removed.isNull() && !removed.isBoolean()) {
                throw new WebhookRejectedException(400, where + ".removed must be a boolean");
            }
            if (!failed) {
                contract.batchMinted(address, topics, data, txHash, index, blockNumber, blockHash)
                        .ifPresent(removed != null && removed.asBoolean() ? removals::add : mints::add);
            }
        }
        return new Delivery(mints, removals, logs.size());
    }

    /**
     * The answer to the sender: what the delivery held and what it changed. {@code stored}: mints new or changed
     * (the others are duplicates); {@code newTokens}: tokens created, by mints confirmed now; {@code provisional}:
     * mints stored (or moved to another block) as provisional, to be confirmed by the log poller;
     * {@code removedLogs}: BatchMinted logs marked removed; {@code removed}: provisional mints they took away.
     */
    public Map<String, Object> reply(Delivery delivery, List<MintRecord> recorded, List<MintRemoval> removals) {
        long stored = recorded.stream().filter(MintRecord::changed).count();
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("logs", delivery.logs());
        reply.put("mints", delivery.mints().size());
        reply.put("stored", stored);
        reply.put("duplicates", delivery.mints().size() - stored);
        reply.put("newTokens", recorded.stream().mapToLong(MintRecord::newTokens).sum());
        reply.put("provisional", recorded.stream().filter(r -> r.outcome() == MintRecord.Outcome.PROVISIONAL).count());
        reply.put("removedLogs", delivery.removals().size());
        reply.put("removed", removals.stream().filter(MintRemoval::removed).count());
        return reply;
    }

    /** The JSON body of a refusal. */
    public Map<String, Object> error(String reason) {
        return Map.of("error", reason == null ? "refused" : reason);
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** The object at {@code fields} under {@code node}, which is at {@code at} in the delivery ("" for its root). */
    private static JsonNode path(JsonNode node, String at, String... fields) {
        JsonNode current = node;
        StringBuilder where = new StringBuilder(at);
        for (String field : fields) {
            where.append(where.isEmpty() ? "" : ".").append(field);
            current = current == null ? null : current.get(field);
            if (current == null || !current.isObject()) {
                throw new WebhookRejectedException(400, where + " must be an object");
            }
        }
        return current;
    }

    private static String text(JsonNode node, String where) {
        if (node == null || !node.isTextual()) {
            throw new WebhookRejectedException(400, where + " must be a string");
        }
        return node.asText();
    }

    private static String optionalText(JsonNode node, String where) {
        return node == null || node.isNull() ? null : text(node, where);
    }

    /** A non-negative integer, as a JSON number or a 0x hex string (both occur in Alchemy payloads). */
    private static long number(JsonNode node, String where) {
        if (node != null && node.canConvertToExactIntegral() && node.canConvertToLong() && node.asLong() >= 0) {
            return node.asLong();
        }
        if (node != null && node.isTextual() && node.asText().matches("0x[0-9a-fA-F]{1,15}")) {
            return Long.parseLong(node.asText().substring(2), 16);
        }
        throw new WebhookRejectedException(400, where + " must be a non-negative integer");
    }
}
