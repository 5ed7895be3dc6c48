package io.glisk.local.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.support.PipelineTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A quiet local service asks anvil for its head only every few seconds; a demo mint it sends itself is seen
 * within a poll, not at the end of that wait.
 */
@TestPropertySource(properties = {
        // the chain-head poll waits a minute after a poll that found no new block
        "glisk.detection.poll-interval-millis=1000",
        "glisk.detection.idle-backoff-polls=59"})
class DemoMintDetectionTest extends PipelineTest {

    @Test
    void aDemoMintAfterAQuietSpellIsDetectedAtOnceNotAtTheIdlePace() throws Exception {
        // the first polls found the chain as it was: the next is a minute away
        Thread.sleep(2_500);

        HttpResponse<String> mint = http("POST", "/api/local/mint", "{\"quantity\": 3}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");

        assertThat(mint.statusCode()).as(mint.body()).isEqualTo(200);
        long first = new ObjectMapper().readTree(mint.body()).get("startTokenId").asLong();
        await().atMost(Duration.ofSeconds(5)).until(() -> count(
                "SELECT count(*) FROM tokens_s0 WHERE token_id BETWEEN ? AND ?", first, first + 2) == 3);
    }
}
