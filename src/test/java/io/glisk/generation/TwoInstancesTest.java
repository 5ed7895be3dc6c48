package io.glisk.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glisk.GliskApplication;
import io.glisk.support.FreePorts;
import io.glisk.support.PipelineTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Two instances of the service over one database: SKIP LOCKED claims and leases keep them apart. */
// the generation stage alone: tokens stop at uploading, with their kept image bytes
@TestPropertySource(properties = "glisk.stages.ipfs.enabled=false")
class TwoInstancesTest extends PipelineTest {

    @Value("${spring.datasource.url}")
    String databaseUrl;

    @Test
    void everyTokenIsGeneratedExactlyOnce() {
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(GliskApplication.class).run(
                "--glisk.mode=local",
                "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=postgres",
                "--server.port=" + FreePorts.next(),
                "--glisk.local.ephemeral=true",
                "--glisk.worker.instance-id=second-instance",
                // a generation-only instance: no chain of its own, whose fresh contract would make it forget the
                // first instance's tokens and mints (local mode starts over with a new chain)
                "--glisk.stages.detection.enabled=false",
                "--glisk.stages.reveal.enabled=false",
                "--glisk.stages.ipfs.enabled=false",
                "--REPLICATE_API_TOKEN=" + REPLICATE_TOKEN,
                "--glisk.worker.poll-interval-seconds=0.2",
                // both instances call the first one's simulator, which counts every prediction
                "--glisk.replicate.base-url=http://localhost:" + port + "/sim/replicate")) {
            jdbc.update("INSERT INTO authors (wallet_address, prompt_text) "
                    + "SELECT '0x' || lpad(to_hex(g), 40, '0'), 'prompt of token ' || g FROM generate_series(1, 500) g");
            jdbc.update("INSERT INTO tokens_s0 (token_id, author_id) SELECT author_id, author_id FROM authors");

            await().atMost(Duration.ofSeconds(60)).until(() ->
                    jdbc.queryForObject("SELECT count(*) FROM tokens_s0 WHERE status = 'uploading'", Integer.class) == 500);

            Map<String, Integer> predictions = replicate.predictionsByPrompt();
            assertThat(predictions).hasSize(500);
            assertThat(predictions.values()).containsOnly(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM token_events WHERE event = 'succeeded'", Integer.class))
                    .isEqualTo(500);
            // both did real work
            assertThat(jdbc.queryForList("SELECT DISTINCT detail->>'instance' FROM token_events WHERE event = 'succeeded'",
                    String.class)).hasSize(2).contains("second-instance");
        }
    }
}
