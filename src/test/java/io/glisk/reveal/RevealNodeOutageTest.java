package io.glisk.reveal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.glisk.chain.ChainConnection;
import io.glisk.chain.GliskContract;
import io.glisk.cid.ContentIds;
import io.glisk.support.FlakyNode;
import io.glisk.support.PipelineTest;
import io.glisk.support.TestChain;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The keeper talks to the chain through a proxy that goes down or lags, like a real RPC provider: reveals wait for
 * it, without counting its failures as theirs.
 */
@TestPropertySource(properties = {
        "glisk.stages.detection.enabled=false", "glisk.stages.generation.enabled=false", "glisk.stages.ipfs.enabled=false",
        "glisk.reveal.wait-millis=300", "glisk.reveal.retry-delay-seconds=1", "glisk.reveal.max-retry-delay-seconds=2",
        "glisk.reveal.receipt-poll-millis=200"})
@Import(FlakyNode.class)
class RevealNodeOutageTest extends PipelineTest {

    /** The node between the pipeline and its chain. */
    @Autowired
    WireMockServer node;

    @Autowired
    ChainConnection connection;
    @Autowired
    GliskContract contract;

    @Test
    void revealsWaitOutAnUnreachableNodeAndLoseNothing() throws Exception {
        long first = contract.nextTokenId();
        try (TestChain chain = new TestChain(connection)) {
            chain.mint(TestChain.MINTERS.get(0), "0x8888000000000000000000000000000000000001", 3);
        }
        StubMapping outage = node.stubFor(any(anyUrl()).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("upstream connect error")));
        long author = author("0x8888000000000000000000000000000000000001", "x");
        String cid = ContentIds.cidV1("outage".getBytes());
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, metadata_cid) "
                + "SELECT g, ?, 'ready', ? FROM generate_series(?, ?) g", author, cid, first, first + 2);

        await().atMost(Duration.ofSeconds(10)).until(() -> token(first).get("reveal_error") != null);
        // tried again (1 s, then 2 s later) while the node is away: still ready, nothing recorded as sent
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> "ready".equals(status(first))
                && jdbc.queryForObject("SELECT count(*) FROM reveal_transactions", Integer.class) == 0);

        node.removeStub(outage);

        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM tokens_s0 WHERE status = 'revealed'", Integer.class) == 3);
        assertThat(contract.tokenUri(first + 2)).isEqualTo("ipfs://" + cid);
        // the node's outage was not the tokens' failure: no wait after it grew longer for it
        assertThat(jdbc.queryForObject("SELECT max(reveal_attempts) FROM tokens_s0 WHERE token_id BETWEEN ? AND ?",
                Integer.class, first, first + 2)).isZero();
    }

    @Test
    void aTransactionMinedBeforeItsReceiptIsGivenIsConfirmedNotTakenForSomeoneElses() throws Exception {
        long first = contract.nextTokenId();
        try (TestChain chain = new TestChain(connection)) {
            chain.mint(TestChain.MINTERS.get(0), "0x8888000000000000000000000000000000000002", 2);
        }
        // the node counts the mined transaction in the keeper's nonce but has no receipt for it yet
        StubMapping noReceipts = node.stubFor(post(anyUrl()).atPriority(1)
                .withRequestBody(containing("eth_getTransactionReceipt"))
                .willReturn(okJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}")));
        long author = author("0x8888000000000000000000000000000000000002", "x");
        String cid = ContentIds.cidV1("lagging receipts".getBytes());
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, metadata_cid) "
                + "SELECT g, ?, 'ready', ? FROM generate_series(?, ?) g", author, cid, first, first + 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> ("ipfs://" + cid).equals(contract.tokenUri(first + 1)));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM reveal_transactions WHERE status = 'failed'", Integer.class) == 0);

        node.removeStub(noReceipts);

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM tokens_s0 WHERE status = 'revealed' AND reveal_tx_hash IS NOT NULL", Integer.class) == 2);
        assertThat(jdbc.queryForList("SELECT status FROM reveal_transactions", String.class)).containsExactly("confirmed");
    }
}
