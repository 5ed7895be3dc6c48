package io.glisk.support;

import static org.awaitility.Awaitility.await;

import io.glisk.local.pinata.PinataSimulator;
import io.glisk.local.replicate.ReplicateSimulator;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * The application as it ships (YAML routes, SQL, simulators in local mode) against a real PostgreSQL,
 * with short timings so that retries and leases play out in seconds.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "glisk.mode=local",
        "REPLICATE_API_TOKEN=" + PipelineTest.REPLICATE_TOKEN,
        "glisk.worker.poll-interval-seconds=0.2",
        "glisk.worker.lease-seconds=3",
        "glisk.retry.initial-delay-millis=50",
        "glisk.retry.max-delay-millis=400",
        "glisk.replicate.timeout-seconds=2",
        "glisk.replicate.poll-interval-millis=50",
        "glisk.simulators.replicate.processing-millis=0",
        "glisk.images.max-bytes=1048576",
})
@ContextConfiguration(initializers = PipelineContextInitializer.class)
public abstract class PipelineTest {

    /** A distinctive credential, so tests can prove it never shows up anywhere. */
    protected static final String REPLICATE_TOKEN = "r8_TestSecret_5f1c9a7e";

    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected ReplicateSimulator replicate;
    @Autowired
    protected PinataSimulator pinata;

    @BeforeEach
    void startFromNothing() {
        jdbc.execute("TRUNCATE authors, tokens_s0, mint_events, token_images, token_events, reveal_transactions, "
                + "system_state RESTART IDENTITY CASCADE");
        replicate.reset();
        pinata.reset();
    }

    protected long author(String wallet, String prompt) {
        return jdbc.queryForObject("INSERT INTO authors (wallet_address, prompt_text) VALUES (?, ?) RETURNING author_id",
                Long.class, wallet, prompt);
    }

    /** A detected token, inserted the way the seed quickstart does it. */
    protected void detected(long tokenId, long authorId) {
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status) VALUES (?, ?, 'detected')", tokenId, authorId);
    }

    protected Map<String, Object> token(long tokenId) {
        return jdbc.queryForMap("SELECT * FROM tokens_s0 WHERE token_id = ?", tokenId);
    }

    protected String status(long tokenId) {
        return jdbc.queryForObject("SELECT status FROM tokens_s0 WHERE token_id = ?", String.class, tokenId);
    }

    protected Map<String, Object> awaitStatus(long tokenId, String expected) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> expected.equals(status(tokenId)));
        return token(tokenId);
    }
}
