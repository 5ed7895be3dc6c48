package io.glisk.detection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.glisk.chain.ChainConnection;
import io.glisk.support.FlakyNode;
import io.glisk.support.PipelineTest;
import io.glisk.support.TestChain;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** The pipeline reads the chain through a proxy that can fail or lag, like a real RPC provider. */
@TestPropertySource(properties = {
        "glisk.stages.generation.enabled=false", "glisk.stages.ipfs.enabled=false", "glisk.stages.reveal.enabled=false",
        "glisk.detection.poll-interval-millis=200", "glisk.detection.webhook-enabled=false"})
@Import(FlakyNode.class)
class DetectionNodeOutageTest extends PipelineTest {

    /** The node between the pipeline and its chain. */
    @Autowired
    WireMockServer node;

    @Autowired
    ChainConnection connection;

    private int minted() {
        return jdbc.queryForObject("SELECT count(*) FROM tokens_s0", Integer.class);
    }

    @Test
    void mintsDuringANodeOutageAreDetectedOnceItAnswersAgain() throws Exception {
        // the node answers nothing at all: neither the log poller nor gap recovery (which may still be running
        // from start-up) can see the mints until it is back
        StubMapping outage = node.stubFor(post(anyUrl()).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("upstream unavailable")));
        try (TestChain chain = new TestChain(connection)) {
            chain.mint(TestChain.MINTERS.get(0), "0x5555000000000000000000000000000000000001", 4);
            chain.mint(TestChain.MINTERS.get(1), "0x5555000000000000000000000000000000000001", 6);

            // several poller runs (every 200 ms) and gap recovery see nothing
            await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() -> minted() == 0);

            node.removeStub(outage);
            await().atMost(Duration.ofSeconds(20)).until(() -> minted() == 10);
        }
    }

    @Test
    void aLaggingNodeNeverMovesTheCheckpointBack() throws Exception {
        try (TestChain chain = new TestChain(connection)) {
            long minted = chain.mint(TestChain.MINTERS.get(2), "0x5555000000000000000000000000000000000002", 2)
                    .getBlockNumber().longValueExact();
            // its tokens are stored before the poller moves its checkpoint past its block
            await().atMost(Duration.ofSeconds(20)).until(() -> minted() == 2 && detectionCheckpoint() >= minted);
            long checkpoint = detectionCheckpoint();
            // the node falls 5 blocks behind what we already read
            StubMapping lag = node.stubFor(post(anyUrl()).withRequestBody(containing("eth_blockNumber")).atPriority(1)
                    .willReturn(aResponse().withHeader("Content-Type", "application/json")
                            .withBody("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x" + Long.toHexString(checkpoint - 5) + "\"}")));
            chain.mint(TestChain.MINTERS.get(3), "0x5555000000000000000000000000000000000002", 3);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                    .until(() -> detectionCheckpoint() == checkpoint && minted() == 2);

            node.removeStub(lag);
            await().atMost(Duration.ofSeconds(20)).until(() -> minted() == 5);
        }
    }
}
