package io.glisk.support;

import static org.awaitility.Awaitility.await;

import io.glisk.local.pinata.PinataSimulator;
import io.glisk.local.replicate.ReplicateSimulator;
import io.glisk.provider.ProviderCircuits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.EnableRouteCoverage;
import org.apache.camel.test.spring.junit5.ShutdownTimeout;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * The application as it ships (YAML routes, SQL, simulators in local mode) against a real PostgreSQL,
 * with short timings so that retries and leases play out in seconds.
 */
@CamelSpringBootTest
// which steps of which routes the pipeline tests ran: target/camel-route-coverage/ (this also turns Camel's JMX on,
// which the coverage is read from, whatever @DisableJmx says)
@EnableRouteCoverage
// cached contexts close when evicted or when the test JVM exits: an in-flight poll is not worth waiting for
@ShutdownTimeout(1)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "glisk.mode=local",
        "REPLICATE_API_TOKEN=" + PipelineTest.REPLICATE_TOKEN,
        "GLISK_ADMIN_USER=" + PipelineTest.ADMIN_USER,
        "GLISK_ADMIN_PASSWORD=" + PipelineTest.ADMIN_PASSWORD,
        // the read-only account exists in every pipeline, so that AdminSecurityTest needs no context of its own
        "GLISK_VIEWER_USER=" + PipelineTest.VIEWER_USER,
        "GLISK_VIEWER_PASSWORD=" + PipelineTest.VIEWER_PASSWORD,
        "glisk.worker.poll-interval-seconds=0.2",
        // the fallback poll also finds the leases of a holder that vanished: within a second here, not 30
        "glisk.worker.quiet-poll-seconds=1",
        "glisk.worker.lease-seconds=3",
        "glisk.retry.initial-delay-millis=50",
        "glisk.retry.max-delay-millis=2500",
        "glisk.circuit.open-seconds=1",
        "glisk.replicate.timeout-seconds=2",
        "glisk.replicate.poll-interval-millis=50",
        "glisk.simulators.replicate.processing-millis=0",
        // small images: the simulator renders and encodes one per prediction, hundreds in the suite
        "glisk.simulators.replicate.image-size=" + PipelineTest.IMAGE_SIZE,
        "glisk.images.max-bytes=1048576",
        // the cached test contexts close when the JVM exits: nothing there is worth a graceful drain
        "spring.lifecycle.timeout-per-shutdown-phase=2s",
})
@ContextConfiguration(initializers = PipelineContextInitializer.class)
public abstract class PipelineTest {

    /** Side of the simulator's pictures in pixels: small, it renders and encodes one per prediction. */
    protected static final int IMAGE_SIZE = 64;
    /** A distinctive credential, so tests can prove it never shows up anywhere. */
    protected static final String REPLICATE_TOKEN = "r8_TestSecret_5f1c9a7e";
    protected static final String ADMIN_USER = "operator";
    protected static final String ADMIN_PASSWORD = "correct-horse-battery-staple";
    protected static final String VIEWER_USER = "watcher";
    protected static final String VIEWER_PASSWORD = "viewer-Secret-81d0c2";

    @Autowired
    protected JdbcTemplate jdbc;
    @Value("${server.port}")
    protected int port;
    @Autowired
    protected ReplicateSimulator replicate;
    @Autowired
    protected PinataSimulator pinata;
    @Autowired
    protected ProviderCircuits circuits;

    @BeforeEach
    void startFromNothing() {
        // system_state stays: the log poller's checkpoint keeps it from reading earlier tests' mints again
        truncate("authors, tokens_s0, mint_events, token_images, token_events, reveal_transactions, author_prompt_nonces");
        replicate.reset();
        pinata.reset();
        circuits.reset();
    }

    /**
     * No avatar task from an earlier test: what is in work stops before its next call (one task is worked on at a
     * time, so a leftover would hold up the next test's), then every task goes. For the tests that order tasks.
     */
    protected void noAvatarTasks() {
        jdbc.update("UPDATE avatar_tasks SET cancel_requested_at = now() WHERE cancel_requested_at IS NULL");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM avatar_tasks WHERE lease_id IS NOT NULL", Long.class) == 0);
        truncate("avatar_tasks");
    }

    /**
     * Empties {@code tables}. The routes keep running between tests, and a query of theirs that reads one of the
     * tables and then another can deadlock with the TRUNCATE, which locks them all: PostgreSQL then aborts one of
     * the two, and the TRUNCATE is simply run again.
     */
    private void truncate(String tables) {
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.execute("TRUNCATE " + tables + " RESTART IDENTITY CASCADE");
                return;
            } catch (PessimisticLockingFailureException deadlock) {
                if (attempt == 5) {
                    throw deadlock;
                }
            }
        }
    }

    /** A request to this instance's HTTP API; {@code headers} are name, value pairs. */
    protected HttpResponse<String> http(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        // a connection of its own, closed after the answer: when the JDK client reuses a pooled connection, a race
        // in it can lose the answer ("HTTP/1.1 header parser received no bytes", as in JDK-8336655) and fail a test
        // on the client's account; and plain HTTP/1.1, without the client's attempt to upgrade to HTTP/2
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request with the admin's credentials (HTTP Basic). */
    protected HttpResponse<String> admin(String method, String path, byte[] body, String... headers) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Authorization";
        all[headers.length + 1] = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return http(method, path, body, all);
    }

    protected long author(String wallet, String prompt) {
        return jdbc.queryForObject("INSERT INTO authors (wallet_address, prompt_text) VALUES (?, ?) RETURNING author_id",
                Long.class, wallet, prompt);
    }

    /** A detected token, inserted the way the seed quickstart does it. */
    protected void detected(long tokenId, long authorId) {
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status) VALUES (?, ?, 'detected')", tokenId, authorId);
    }

    /** What a query of one number answers: a count, an id. */
    protected long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    protected Map<String, Object> token(long tokenId) {
        return jdbc.queryForMap("SELECT * FROM tokens_s0 WHERE token_id = ?", tokenId);
    }

    /** The token's status, or null while it is not (yet) detected. */
    protected String status(long tokenId) {
        return jdbc.queryForList("SELECT status FROM tokens_s0 WHERE token_id = ?", String.class, tokenId).stream()
                .findFirst().orElse(null);
    }

    /**
     * The last block the log poller has read (its checkpoint), or -1 while it has read none: the checkpoint only exists
     * once the poller has read a confirmed block, and a test may well get there first.
     */
    protected long detectionCheckpoint() {
        return jdbc.queryForObject("SELECT coalesce(max(CAST(value #>> '{}' AS bigint)), -1) FROM system_state "
                + "WHERE key = 'detection.last_block'", Long.class);
    }

    /**
     * Puts a route file into {@code routesDir} (GLISK_ROUTES_DIR) whole, as a deployment would: written beside it,
     * then moved in. The service polls the directory and would otherwise read it half-written (empty, rejected).
     */
    protected static void dropRouteFile(Path routesDir, String name, String yaml) throws IOException {
        Path partial = Files.writeString(routesDir.resolve(name + ".part"), yaml);
        Files.move(partial, routesDir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Waits until the routes {@code ids} no longer run from a file in {@code routesDir} (GLISK_ROUTES_DIR): a file
     * removed from there is reverted to the packaged route while the service runs, a poll later, and the next test
     * must not start while the route is being replaced.
     */
    protected static void awaitPackagedRoutes(CamelContext camel, Path routesDir, String... ids) {
        await().atMost(Duration.ofSeconds(5)).until(() -> Arrays.stream(ids).map(camel::getRoute).allMatch(route ->
                route != null && !route.getSourceResource().getLocation().contains(routesDir.toString())));
    }

    /**
     * Waits up to 20 s for the token to reach one of the {@code expected} statuses; if it does not, the failure
     * shows where it stands (its row and its events), which a bare timeout would leave to guesswork.
     */
    protected Map<String, Object> awaitStatus(long tokenId, String... expected) {
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Arrays.asList(expected).contains(status(tokenId)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("token " + tokenId + " did not reach " + Arrays.toString(expected)
                    + " within 20 s: " + jdbc.queryForList("SELECT * FROM tokens_s0 WHERE token_id = ?", tokenId)
                    + "; its events: " + jdbc.queryForList("SELECT created_at, stage, event, detail "
                    + "FROM token_events WHERE token_id = ? ORDER BY id", tokenId), e);
        }
        return token(tokenId);
    }
}
