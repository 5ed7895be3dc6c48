package io.glisk.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glisk.chain.ChainConnection;
import io.glisk.support.PipelineTest;
import io.glisk.support.TestChain;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * Gap recovery also runs on a schedule (DETECTION_RECOVERY_INTERVAL_SECONDS), not only at start-up and on request:
 * a token the pipeline lost while running is stored again without a restart. A context of its own, so that it
 * never covers up for the poller in DetectionPollerTest.
 */
@TestPropertySource(properties = {
        "glisk.stages.generation.enabled=false", "glisk.stages.ipfs.enabled=false", "glisk.stages.reveal.enabled=false",
        "glisk.detection.poll-interval-millis=200",
        "glisk.detection.recovery-interval-seconds=2"})
@ExtendWith(OutputCaptureExtension.class)
class GapRecoveryScheduleTest extends PipelineTest {

    private static final String AUTHOR = "0xffff000000000000000000000000000000000009";
    private static final String BY_AUTHOR =
            "SELECT %s FROM tokens_s0 t JOIN authors a USING (author_id) WHERE a.wallet_address = ?";

    @Autowired
    ChainConnection connection;

    @Test
    void aTokenLostWhileRunningIsStoredAgainByTheNextScheduledRun(CapturedOutput output) throws Exception {
        try (TestChain chain = new TestChain(connection)) {
            chain.mint(TestChain.MINTERS.get(0), AUTHOR, 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> count(
                    BY_AUTHOR.formatted("count(*)"), AUTHOR) == 2);
            long first = count(BY_AUTHOR.formatted("min(token_id)"), AUTHOR);
            // the start-up run is long past and the poller has read past the mint: only a later run can find it
            long lost = first + 1;
            jdbc.update("DELETE FROM tokens_s0 WHERE token_id = ?", lost);

            await().atMost(Duration.ofSeconds(10)).until(() -> count(
                    "SELECT count(*) FROM tokens_s0 WHERE token_id = ? AND status = 'detected'", lost) == 1);
            assertThat(output.getOut()).containsPattern("WARN .* detection\\.gaps_recovered .*detected=\"[1-9]");
        }
    }
}
