package io.glisk.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glisk.chain.ChainConnection;
import io.glisk.chain.ChainHeads;
import io.glisk.chain.ChainPolls;
import io.glisk.support.FreePorts;
import io.glisk.support.PipelineTest;
import io.glisk.support.TestChain;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * The local node pushes its new blocks over its WebSocket endpoint: an idle service stops asking for the chain's
 * head, and still sees a mint sent by any tool (not only the local API) within moments. Without the push, the head
 * poll runs at its own idle pace (here one poll a second).
 */
@TestPropertySource(properties = {
        "glisk.stages.generation.enabled=false", "glisk.stages.ipfs.enabled=false", "glisk.stages.reveal.enabled=false",
        "glisk.detection.poll-interval-millis=200", "glisk.detection.idle-backoff-polls=4"})
@ExtendWith(OutputCaptureExtension.class)
class DetectionPushedHeadsTest extends PipelineTest {

    private static final String POLLER = "detection-log-poller";

    @Autowired
    ChainConnection connection;
    @Autowired
    CamelContext camel;
    @Autowired
    ChainPolls chainPolls;
    @Autowired
    ChainHeads chainHeads;

    @AfterEach
    void pushAgain() {
        chainHeads.start();
    }

    private long polls() {
        return camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class).getManagedRoute(POLLER)
                .getExchangesTotal();
    }

    /** Head polls during {@code window}, once the poll has gone idle. */
    private long pollsWhileIdle(Duration window) throws InterruptedException {
        // the poll that ends a busy spell, and the one after it, find nothing new
        Thread.sleep(1_500);
        long before = polls();
        Thread.sleep(window.toMillis());
        return polls() - before;
    }

    @Test
    void anIdleServiceStopsPollingAndAMintSentByAnotherToolIsStillSeenAtOnce() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(chainPolls::headsPushed);

        assertThat(pollsWhileIdle(Duration.ofSeconds(4))).isZero();

        long sent = System.nanoTime();
        try (TestChain chain = new TestChain(connection)) {
            chain.mint(TestChain.MINTERS.get(0), "0xAAaa000000000000000000000000000000000001", 3);
        }
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> count("SELECT count(*) FROM tokens_s0") == 3);
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void withoutThePushThePollKeepsItsOwnIdlePace() throws Exception {
        chainHeads.stop();
        assertThat(chainPolls.headsPushed()).isFalse();

        assertThat(pollsWhileIdle(Duration.ofSeconds(4))).isBetween(2L, 6L);
        try (TestChain chain = new TestChain(connection)) {
            chain.mint(TestChain.MINTERS.get(1), "0xbbBB000000000000000000000000000000000002", 2);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> count("SELECT count(*) FROM tokens_s0") == 2);
    }

    @Test
    void aNodeThatCannotBeReachedLeavesThePacesAloneAndIsReportedOnce(CapturedOutput output) throws Exception {
        ChainPolls polls = new ChainPolls();
        ChainHeads unreachable = new ChainHeads("ws://127.0.0.1:" + FreePorts.next(), polls);
        unreachable.start();
        try {
            // a first retry after 1 s, a second after 2 s: one warning for all of them
            await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("chain.heads_lost"));
            Thread.sleep(3_500);
            assertThat(polls.headsPushed()).isFalse();
            assertThat(output.getOut().lines().filter(line -> line.contains("chain.heads_lost"))).hasSize(1);
        } finally {
            unreachable.stop();
        }
    }
}
