package io.glisk.claim;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.glisk.local.images.SimulatedImageRenderer;
import io.glisk.local.pinata.PinataFault;
import io.glisk.support.PipelineTest;
import io.glisk.support.TcpProxy;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The database goes away while provider calls run — every connection of the service cut, as when PostgreSQL
 * restarts — for longer than a lease. Work that outlived the outage finishes under its own lease once the database
 * is back (nothing made again, no attempt spent); an exchange whose token was taken back meanwhile cannot overwrite
 * the token's newer state; nothing stays leased.
 */
@ContextConfiguration(initializers = DatabaseOutageTest.ThroughProxy.class)
@TestPropertySource(properties = {
        // borrowing a connection while the database is away fails fast instead of after 30 s
        "spring.datasource.hikari.connection-timeout=500",
        "glisk.stages.reveal.enabled=false",
        // a quiet LISTEN connection gets its round trip after a second (15 s by default)
        "glisk.worker.listen-check-seconds=1",
        // the avatar stage's fallback poll as often as the token stages' (every 5 s by default in local mode)
        "glisk.avatar.worker-interval-seconds=1",
})
class DatabaseOutageTest extends PipelineTest {

    static final WireMockServer replicateApi = new WireMockServer(options().dynamicPort());
    static final String PREDICTIONS = "/v1/models/black-forest-labs/flux-schnell/predictions";
    static TcpProxy database;
    /** The database itself, for the test's own reads: they must work while the service's connections are cut. */
    static String directUrl;

    static {
        replicateApi.start();
    }

    /** The service reaches its database only through the proxy. */
    static class ThroughProxy implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(.*)").matcher(url);
            if (!m.matches()) {
                throw new IllegalStateException("unexpected test database URL " + url);
            }
            directUrl = url;
            TcpProxy proxy = new TcpProxy(m.group(1), Integer.parseInt(m.group(2)));
            // closed with the context, after everything that connects through it
            ((DefaultListableBeanFactory) context.getBeanFactory()).registerDisposableBean("databaseProxy", proxy::close);
            database = proxy;
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("proxiedDatabase", Map.of(
                    "spring.datasource.url", "jdbc:postgresql://" + m.group(1) + ":" + database.port() + "/" + m.group(3))));
        }
    }

    @DynamicPropertySource
    static void replicateIsThePeer(DynamicPropertyRegistry registry) {
        registry.add("glisk.replicate.base-url", replicateApi::baseUrl);
    }

    @AfterAll
    static void stopPeer() {
        replicateApi.stop();
    }

    @BeforeEach
    void readTheDatabaseDirectly() {
        jdbc = new JdbcTemplate(new DriverManagerDataSource(directUrl, "postgres", ""));
    }

    @BeforeEach
    void resetPeer() {
        replicateApi.resetAll();
        replicateApi.stubFor(get("/out/1.png").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/png").withBody(new SimulatedImageRenderer().png("outage", 64))));
    }

    @AfterEach
    void databaseBack() {
        database.restore();
    }

    private static String succeeded(String id) {
        return prediction(id, "succeeded", "[\"" + replicateApi.baseUrl() + "/out/1.png\"]");
    }

    private static String prediction(String id, String status, String output) {
        String base = replicateApi.baseUrl();
        return """
                {"id": "%s", "status": "%s", "output": %s, "error": null,
                 "urls": {"get": "%s/v1/predictions/%s", "cancel": "%s/v1/predictions/%s/cancel"}}
                """.formatted(id, status, output, base, id, base, id);
    }

    private void awaitPredictions(int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> replicateApi.countRequestsMatching(
                postRequestedFor(urlEqualTo(PREDICTIONS)).build()).getCount() >= count);
    }

    private String claimsHealth() {
        return admin("GET", "/actuator/health/claims", null).body();
    }

    @Test
    void aListenConnectionThatDiedSilentlyIsReportedAndReplaced() {
        await().atMost(Duration.ofSeconds(10)).until(() -> claimsHealth().contains("\"listening\":true"));

        // the network drops everything without closing anything: no error ever reaches the listener by itself
        database.freeze();
        await().atMost(Duration.ofSeconds(15)).until(() -> claimsHealth().contains("\"status\":\"WARNING\""));
        database.restore();

        await().atMost(Duration.ofSeconds(15)).until(() -> claimsHealth().contains("\"status\":\"UP\""));
        // and work flows again
        detected(3, author("0xA11CE00000000000000000000000000000000d03", "heard at once"));
        replicateApi.stubFor(post(PREDICTIONS).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(succeeded("p3"))));
        awaitStatus(3, "ready");
    }

    @Test
    void anExchangeThatOutlivedItsLeaseCannotFailTheTokenItLost() throws Exception {
        // the first prediction runs long (each poll answers "processing" after 1.5 s) and ends refused, about
        // 8 s in; the second one succeeds at once
        replicateApi.stubFor(post(PREDICTIONS).inScenario("create").whenScenarioStateIs(STARTED).willSetStateTo("second")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(prediction("p1", "starting", "null"))));
        replicateApi.stubFor(post(PREDICTIONS).inScenario("create").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(succeeded("p2"))));
        for (int poll = 0; poll < 5; poll++) {
            replicateApi.stubFor(get("/v1/predictions/p1").inScenario("poll")
                    .whenScenarioStateIs(poll == 0 ? STARTED : "poll " + poll).willSetStateTo("poll " + (poll + 1))
                    .willReturn(aResponse().withStatus(200).withFixedDelay(1_500).withHeader("Content-Type", "application/json")
                            .withBody(prediction("p1", "processing", "null"))));
        }
        replicateApi.stubFor(get("/v1/predictions/p1").inScenario("poll").whenScenarioStateIs("poll 5")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(prediction("p1", "failed", "null").replace("\"error\": null", "\"error\": \"refused, but far too late\""))));
        // the token then waits in the IPFS stage (held by this same instance) when the late refusal lands
        pinata.enqueueFile(PinataFault.slow(5_000));
        detected(1, author("0xA11CE00000000000000000000000000000000d01", "outlived"));
        awaitPredictions(1);

        database.cut();
        Thread.sleep(4_000); // longer than the 3 s lease: nobody could renew it
        // another instance, which still reaches the database, takes the token back as its fallback poll does
        assertThat(jdbc.update("UPDATE tokens_s0 SET status = 'detected', lease_id = NULL "
                + "WHERE token_id = 1 AND lease_expires_at < now()")).isEqualTo(1);
        database.restore();

        // claimed again after the outage and generated: the first exchange's refusal lands while the token is
        // being pinned
        awaitPredictions(2);
        await().atMost(Duration.ofSeconds(15)).until(() -> replicateApi.countRequestsMatching(
                getRequestedFor(urlEqualTo("/v1/predictions/p1")).build()).getCount() == 6);
        Map<String, Object> token = awaitStatus(1, "ready");
        assertThat(token.get("generation_error")).isNull();
        assertThat(token.get("failed_stage")).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_events WHERE token_id = 1 AND event = 'failed'",
                Integer.class)).isZero();
    }

    @Test
    void aResultThatCouldNotBeStoredWhileTheDatabaseWasAwayIsStoredOnceItIsBack() throws Exception {
        replicateApi.stubFor(post(PREDICTIONS).willReturn(aResponse().withStatus(201).withFixedDelay(1_500)
                .withHeader("Content-Type", "application/json").withBody(succeeded("p1"))));
        detected(2, author("0xA11CE00000000000000000000000000000000d02", "kept through the outage"));
        awaitPredictions(1);

        // the answer arrives (1.5 s) while the database is away, for longer than the lease: storing it waits
        database.cut();
        long asked = System.nanoTime();
        assertThat(http("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(3));
        Thread.sleep(5_000);
        database.restore();

        // the exchange kept its result and revived its lease: stored once the database answers, not made again
        Map<String, Object> token = awaitStatus(2, "ready");
        assertThat(token.get("lease_id")).isNull();
        assertThat(token.get("generation_attempts")).isEqualTo(1);
        assertThat(replicateApi.countRequestsMatching(postRequestedFor(urlEqualTo(PREDICTIONS)).build()).getCount())
                .isEqualTo(1);
        assertThat(http("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    }

    @Test
    void leasesThatRanOutWhileTheDatabaseWasAwayAreLeftToTheirHoldersForALeasePeriod() throws Exception {
        replicateApi.stubFor(post(PREDICTIONS).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(succeeded("p4"))));
        // another instance, alive, holds a token and an avatar task; it is cut off from the database as this one is
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, generation_attempts, lease_id, lease_owner, "
                + "lease_expires_at) VALUES (4, ?, 'generating', 1, gen_random_uuid(), 'elsewhere', now() + interval '1 second')",
                author("0xA11CE00000000000000000000000000000000d04", "held elsewhere"));
        long task = jdbc.queryForObject("INSERT INTO avatar_tasks (persona_count, images_per_persona, persona_description, "
                + "bio_language, status, claims, lease_owner, lease_id, lease_expires_at) VALUES (10, 4, 'held elsewhere', "
                + "'English', 'generating-data', 1, 'elsewhere', gen_random_uuid(), now() + interval '1 second') "
                + "RETURNING task_key", Long.class);

        database.cut();
        Thread.sleep(2_500); // both leases run out while nobody can renew them
        database.restore();

        // the holder gets a lease period (3 s) of the database back to renew them: neither is taken for dead meanwhile
        Thread.sleep(2_000);
        assertThat(jdbc.queryForObject("SELECT lease_owner FROM tokens_s0 WHERE token_id = 4", String.class))
                .isEqualTo("elsewhere");
        assertThat(jdbc.queryForObject("SELECT lease_owner FROM avatar_tasks WHERE task_key = ?", String.class, task))
                .isEqualTo("elsewhere");

        // it never renews them (it died): both are let go of once that period is over, and the token is made here
        awaitStatus(4, "ready");
        assertThat(token(4).get("generation_attempts")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> !"elsewhere".equals(jdbc.queryForObject(
                "SELECT coalesce(lease_owner, '') FROM avatar_tasks WHERE task_key = ?", String.class, task)));
    }
}
