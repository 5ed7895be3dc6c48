package io.glisk.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Builds Alchemy "custom" (GraphQL) webhook deliveries from real receipts, as Alchemy sends them. */
public final class AlchemyDelivery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlchemyDelivery() {
    }

    /**
     * A delivery of every log of the receipts, as Alchemy sends one block's logs (it names the last receipt's block:
     * give receipts of one block); {@code edit} may change each log node before it is added.
     */
    public static ObjectNode of(List<TransactionReceipt> receipts, Consumer<ObjectNode> edit) {
        ObjectNode root = JSON.createObjectNode();
        root.put("webhookId", "wh_glisk_test").put("id", "whevt_" + System.nanoTime()).put("type", "GRAPHQL")
                .put("createdAt", "2026-11-22T00:00:00.000Z");
        ObjectNode block = root.putObject("event").putObject("data").putObject("block");
        TransactionReceipt last = receipts.get(receipts.size() - 1);
        block.put("number", last.getBlockNumber().longValueExact()).put("hash", last.getBlockHash())
                .put("timestamp", 1_800_000_000L);
        ArrayNode logs = block.putArray("logs");
        for (TransactionReceipt receipt : receipts) {
            for (Log log : receipt.getLogs()) {
                ObjectNode node = logs.addObject();
                node.put("data", log.getData());
                ArrayNode topics = node.putArray("topics");
                log.getTopics().forEach(topics::add);
                node.put("index", log.getLogIndex().longValueExact());
                node.putObject("account").put("address", log.getAddress());
                ObjectNode transaction = node.putObject("transaction");
                transaction.put("hash", receipt.getTransactionHash()).put("nonce", 0).put("index", 0)
                        .put("status", receipt.isStatusOK() ? 1 : 0);
                transaction.putObject("from").put("address", receipt.getFrom());
                transaction.putObject("to").put("address", receipt.getTo());
                edit.accept(node);
            }
        }
        return root;
    }

    public static ObjectNode of(List<TransactionReceipt> receipts) {
        return of(receipts, node -> { });
    }

    public static String signature(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
