package io.glisk.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glisk.chain.ChainConnection;
import io.glisk.support.AlchemyDelivery;
import io.glisk.support.PipelineTest;
import io.glisk.support.TestChain;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
import org.web3j.utils.Numeric;

/**
 * Reorgs on a real chain (anvil's evm_snapshot / evm_revert drop the blocks mined since the snapshot, and the next
 * blocks take their numbers with other hashes), with mints reported by the webhook before they are confirmed.
 * Mints are confirmed 3 blocks deep; generation runs (the simulator counts every paid call), and its fallback
 * poll is a minute, so a token picked up within seconds was woken by the NOTIFY of its insert.
 */
@TestPropertySource(properties = {
        "glisk.stages.ipfs.enabled=false", "glisk.stages.reveal.enabled=false",
        "glisk.detection.poll-interval-millis=200", "glisk.chain.confirmations=3",
        "glisk.worker.poll-interval-seconds=60", "glisk.worker.quiet-poll-seconds=60"})
@ExtendWith(OutputCaptureExtension.class)
class DetectionReorgTest extends PipelineTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String AUTHOR = "0xa11ce00000000000000000000000000000000001";
    static final String OTHER_AUTHOR = "0xb0b0000000000000000000000000000000000002";

    @Autowired
    ChainConnection connection;
    @Value("${glisk.detection.webhook-secret}")
    String secret;
    TestChain chain;

    @BeforeEach
    void connect() {
        chain = new TestChain(connection);
    }

    /**
     * Every mint of the test confirmed or dropped for good, and generation done with the tokens, before the next
     * test starts from empty tables: nothing of this test may show up in the next one.
     */
    @AfterEach
    void settleTheChain() throws IOException {
        chain.mine(3);
        long confirmed = chain.head() - 3;
        await().atMost(Duration.ofSeconds(10)).until(() -> detectionCheckpoint() >= confirmed);
        await().atMost(Duration.ofSeconds(10)).until(() -> count(
                "SELECT count(*) FROM tokens_s0 WHERE status IN ('detected', 'generating')") == 0);
        chain.close();
    }

    private JsonNode deliver(JsonNode delivery) throws IOException {
        byte[] body = JSON.writeValueAsBytes(delivery);
        HttpResponse<String> reply = http("POST", "/webhooks/alchemy", body, "Content-Type", "application/json",
                "X-Alchemy-Signature", AlchemyDelivery.signature(body, secret));
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return JSON.readTree(reply.body());
    }

    private static ObjectNode removed(TransactionReceipt receipt) {
        return AlchemyDelivery.of(List.of(receipt), log -> log.put("removed", true));
    }

    private Map<String, Object> mintRow(TransactionReceipt receipt) {
        return jdbc.queryForMap("SELECT * FROM mint_events WHERE tx_hash = ?", receipt.getTransactionHash());
    }

    private String mintStatus(TransactionReceipt receipt) {
        return jdbc.queryForList("SELECT status FROM mint_events WHERE tx_hash = ?", String.class,
                receipt.getTransactionHash()).stream().findFirst().orElse(null);
    }

    private List<Long> tokenIds() {
        return jdbc.queryForList("SELECT token_id FROM tokens_s0 ORDER BY token_id", Long.class);
    }

    private String authorOf(long tokenId) {
        return jdbc.queryForObject("SELECT a.wallet_address::text FROM tokens_s0 t JOIN authors a USING (author_id) "
                + "WHERE t.token_id = ?", String.class, tokenId);
    }

    private static long startTokenId(TransactionReceipt receipt) {
        // BatchMinted(minter, promptAuthor, startTokenId indexed, …) is the last log of a mint
        return Numeric.toBigInt(receipt.getLogs().get(receipt.getLogs().size() - 1).getTopics().get(3)).longValueExact();
    }

    /**
     * {@code stays} holds for a second: long enough for a few log poller runs (every 200 ms) and claims to have
     * happened if they were going to.
     */
    private static void holdsForASecond(Callable<Boolean> stays) {
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(stays);
    }

    @Test
    void aProvisionalMintIsNeverGeneratedAndIsPickedUpTheMomentItIsConfirmed() throws Exception {
        TransactionReceipt receipt = chain.mint(TestChain.MINTERS.get(0), AUTHOR, 3);
        long first = startTokenId(receipt);

        JsonNode reply = deliver(AlchemyDelivery.of(List.of(receipt)));

        assertThat(reply.get("provisional").asInt()).isEqualTo(1);
        assertThat(reply.get("newTokens").asInt()).isZero();
        holdsForASecond(() -> "provisional".equals(mintStatus(receipt)) && tokenIds().isEmpty()
                && replicate.predictionsCreated() == 0);

        chain.mine(3);

        // the fallback poll is a minute away: only the wake-up of the confirmed tokens' insert gets them claimed now
        await().atMost(Duration.ofSeconds(10)).until(() -> count(
                "SELECT count(*) FROM tokens_s0 WHERE status = 'uploading' AND generation_attempts = 1") == 3);
        assertThat(tokenIds()).containsExactly(first, first + 1, first + 2);
        assertThat(mintRow(receipt)).containsEntry("status", "confirmed").containsEntry("source", "webhook")
                .containsEntry("start_token_id", first);
        assertThat(replicate.predictionsCreated()).isEqualTo(3);
    }

    @Test
    void aMintTheChainDropsIsRemovedByThePollerBeforeAnythingIsSpentOnIt(CapturedOutput output) throws Exception {
        String beforeTheReorg = chain.snapshot();
        TransactionReceipt dropped = chain.mint(TestChain.MINTERS.get(0), AUTHOR, 4);
        deliver(AlchemyDelivery.of(List.of(dropped)));
        assertThat(mintStatus(dropped)).isEqualTo("provisional");

        chain.revert(beforeTheReorg);
        TransactionReceipt kept = chain.mint(TestChain.MINTERS.get(1), OTHER_AUTHOR, 2);
        assertThat(kept.getBlockNumber()).isEqualTo(dropped.getBlockNumber());
        chain.mine(3);

        await().atMost(Duration.ofSeconds(10)).until(() -> "removed".equals(mintStatus(dropped)));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM tokens_s0 WHERE status = 'uploading'") == 2);
        long first = startTokenId(kept);
        assertThat(startTokenId(dropped)).isEqualTo(first);
        assertThat(tokenIds()).containsExactly(first, first + 1);
        assertThat(authorOf(first)).isEqualTo(OTHER_AUTHOR);
        assertThat(mintRow(dropped)).containsEntry("removed_by", "poller").containsEntry("source", "webhook");
        assertThat(mintRow(dropped).get("removed_at")).isNotNull();
        assertThat(mintStatus(kept)).isEqualTo("confirmed");
        holdsForASecond(() -> replicate.predictionsCreated() == 2);
        assertThat(output).contains("detection.mint_removed").contains(dropped.getTransactionHash());
    }

    @Test
    void aRemovedLogTakesTheProvisionalMintAwayAtOnce() throws Exception {
        String beforeTheReorg = chain.snapshot();
        TransactionReceipt dropped = chain.mint(TestChain.MINTERS.get(2), AUTHOR, 2);
        ObjectNode delivery = AlchemyDelivery.of(List.of(dropped));
        deliver(delivery);
        chain.revert(beforeTheReorg);

        JsonNode reply = deliver(removed(dropped));

        assertThat(reply.get("removedLogs").asInt()).isEqualTo(1);
        assertThat(reply.get("removed").asInt()).isEqualTo(1);
        assertThat(reply.get("mints").asInt()).isZero();
        assertThat(mintRow(dropped)).containsEntry("status", "removed").containsEntry("removed_by", "webhook");
        // the same removal again, and the original delivery sent again late, change nothing
        assertThat(deliver(removed(dropped)).get("removed").asInt()).isZero();
        JsonNode late = deliver(delivery);
        assertThat(late.get("duplicates").asInt()).isEqualTo(1);
        assertThat(late.get("provisional").asInt()).isZero();
        assertThat(mintStatus(dropped)).isEqualTo("removed");

        TransactionReceipt kept = chain.mint(TestChain.MINTERS.get(3), OTHER_AUTHOR, 1);
        chain.mine(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> "confirmed".equals(mintStatus(kept)));
        holdsForASecond(() -> tokenIds().equals(List.of(startTokenId(kept))));
        assertThat(mintRow(dropped)).containsEntry("status", "removed").containsEntry("removed_by", "webhook");
    }

    @Test
    void aRemovedLogForAnotherBlockLeavesTheMintWhereItWasMinedAgain() throws Exception {
        String beforeTheReorg = chain.snapshot();
        String signed = chain.signMint(TestChain.MINTERS.get(4), AUTHOR, 2);
        TransactionReceipt first = chain.send(signed);
        chain.revert(beforeTheReorg);
        chain.mine(1);
        TransactionReceipt again = chain.send(signed);
        assertThat(again.getTransactionHash()).isEqualTo(first.getTransactionHash());
        assertThat(again.getBlockNumber()).isNotEqualTo(first.getBlockNumber());

        // Alchemy's news out of order: the new block's log first, then the removal of the old block's
        deliver(AlchemyDelivery.of(List.of(again)));
        JsonNode reply = deliver(removed(first));

        assertThat(reply.get("removed").asInt()).isZero();
        assertThat(mintRow(again)).containsEntry("status", "provisional")
                .containsEntry("block_number", again.getBlockNumber().longValueExact());
    }

    @Test
    void aTransactionMinedAgainInAnotherBlockGetsTheTokenIdsTheChainGaveIt(CapturedOutput output) throws Exception {
        String beforeTheReorg = chain.snapshot();
        String signed = chain.signMint(TestChain.MINTERS.get(5), AUTHOR, 3);
        TransactionReceipt provisional = chain.send(signed);
        deliver(AlchemyDelivery.of(List.of(provisional)));
        long provisionalFirst = startTokenId(provisional);

        // the reorg: another mint gets in first, then the same transaction is mined again in the next block
        chain.revert(beforeTheReorg);
        TransactionReceipt other = chain.mint(TestChain.MINTERS.get(0), OTHER_AUTHOR, 2);
        TransactionReceipt remined = chain.send(signed);
        assertThat(remined.getTransactionHash()).isEqualTo(provisional.getTransactionHash());
        assertThat(startTokenId(other)).isEqualTo(provisionalFirst);
        assertThat(startTokenId(remined)).isEqualTo(provisionalFirst + 2);
        chain.mine(3);

        await().atMost(Duration.ofSeconds(10)).until(() -> "confirmed".equals(mintStatus(remined))
                && "confirmed".equals(mintStatus(other)));
        assertThat(mintRow(remined)).containsEntry("start_token_id", provisionalFirst + 2).containsEntry("quantity", 3)
                .containsEntry("block_number", remined.getBlockNumber().longValueExact())
                .containsEntry("block_hash", remined.getBlockHash()).containsEntry("source", "webhook");
        await().atMost(Duration.ofSeconds(10)).until(() -> tokenIds().size() == 5);
        assertThat(tokenIds()).containsExactly(provisionalFirst, provisionalFirst + 1, provisionalFirst + 2,
                provisionalFirst + 3, provisionalFirst + 4);
        assertThat(authorOf(provisionalFirst)).isEqualTo(OTHER_AUTHOR);
        assertThat(authorOf(provisionalFirst + 1)).isEqualTo(OTHER_AUTHOR);
        assertThat(authorOf(provisionalFirst + 2)).isEqualTo(AUTHOR);
        assertThat(authorOf(provisionalFirst + 4)).isEqualTo(AUTHOR);
        assertThat(count("SELECT count(*) FROM tokens_s0 t JOIN mint_events m ON m.id = t.mint_event_id "
                + "WHERE m.tx_hash = ? AND t.token_id BETWEEN ? AND ?", remined.getTransactionHash(),
                provisionalFirst + 2, provisionalFirst + 4)).isEqualTo(3);
        assertThat(output.getAll().lines().filter(line -> line.contains("detection.mint_corrected")
                && line.contains(remined.getTransactionHash()))).singleElement().satisfies(line -> assertThat(line)
                .contains("WARN").contains("start_token_id=\"" + (provisionalFirst + 2) + "\"")
                .contains("previous_start_token_id=\"" + provisionalFirst + "\""));
    }

    @Test
    void theConfirmedViewCorrectsAnAuthorTheWebhookGotWrong() throws Exception {
        TransactionReceipt receipt = chain.mint(TestChain.MINTERS.get(1), AUTHOR, 2);
        String wrong = "0x000000000000000000000000" + OTHER_AUTHOR.substring(2);
        deliver(AlchemyDelivery.of(List.of(receipt), log -> {
            ArrayNode topics = (ArrayNode) log.get("topics");
            if (topics.size() == 4 && topics.get(2).asText().endsWith(AUTHOR.substring(2))) {
                topics.set(2, wrong);
            }
        }));
        assertThat(mintRow(receipt)).containsEntry("prompt_author", OTHER_AUTHOR).containsEntry("status", "provisional");

        chain.mine(3);

        await().atMost(Duration.ofSeconds(10)).until(() -> "confirmed".equals(mintStatus(receipt)));
        assertThat(mintRow(receipt)).containsEntry("prompt_author", AUTHOR);
        long first = startTokenId(receipt);
        assertThat(authorOf(first)).isEqualTo(AUTHOR);
        assertThat(authorOf(first + 1)).isEqualTo(AUTHOR);
        assertThat(count("SELECT count(*) FROM authors WHERE wallet_address = ?", OTHER_AUTHOR)).isZero();
    }

    @Test
    void aRemovedLogForAConfirmedMintIsIgnoredWithAWarning(CapturedOutput output) throws Exception {
        TransactionReceipt receipt = chain.mint(TestChain.MINTERS.get(2), AUTHOR, 2);
        deliver(AlchemyDelivery.of(List.of(receipt)));
        chain.mine(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> tokenIds().size() == 2);

        JsonNode reply = deliver(removed(receipt));

        assertThat(reply.get("removedLogs").asInt()).isEqualTo(1);
        assertThat(reply.get("removed").asInt()).isZero();
        assertThat(mintStatus(receipt)).isEqualTo("confirmed");
        assertThat(tokenIds()).hasSize(2);
        assertThat(output.getAll().lines().filter(line -> line.contains("detection.removal_ignored")
                && line.contains(receipt.getTransactionHash()))).singleElement()
                .satisfies(line -> assertThat(line).contains("WARN").contains("removal=\"confirmed\""));
    }

    @Test
    void gapRecoveryReadsTheChainAsOfTheConfirmedBlock() throws Exception {
        TransactionReceipt receipt = chain.mint(TestChain.MINTERS.get(3), AUTHOR, 4);
        long first = startTokenId(receipt);

        JsonNode fresh = JSON.readTree(admin("POST", "/api/detection/recover", null).body());

        // the mint is 0 blocks deep: for gap recovery it does not exist yet (earlier tests' mints are buried)
        assertThat(fresh.get("confirmedBlock").asLong()).isEqualTo(chain.head() - 3);
        assertThat(fresh.get("minted").asLong()).isEqualTo(first - 1);
        assertThat(tokenIds()).doesNotContain(first, first + 3);

        chain.mine(3);
        JsonNode buried = JSON.readTree(admin("POST", "/api/detection/recover", null).body());

        assertThat(buried.get("minted").asLong()).isEqualTo(first + 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> tokenIds().containsAll(List.of(first, first + 3)));
    }
}
