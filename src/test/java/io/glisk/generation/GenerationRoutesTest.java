package io.glisk.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.glisk.claim.AttemptLedger;
import io.glisk.support.RouteTest;
import io.glisk.support.ScriptedHttp;
import io.glisk.support.ScriptedImages;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generation stage's route file with the shared error handling of the token stages (shared.camel.yaml):
 * which failures are retried, how long a retry waits, what a token that runs out of attempts or meets a
 * permanent refusal is failed with, and the content-policy fallback — against a scripted Replicate.
 */
class GenerationRoutesTest extends RouteTest {

    static final String BASE_URL = "https://api.replicate.test";
    static final String PROMPT = "a lighthouse at dusk, oil on canvas";
    static final String DEFAULT_PROMPT = "the default prompt";
    static final String FALLBACK_PROMPT = "kittens in a garden";
    static final String OUTPUT = "https://replicate.delivery/xezq/out-0.webp";
    static final long TOKEN = 42;

    final ScriptedHttp replicate = new ScriptedHttp(prediction("succeeded", null));
    final ScriptedImages images = new ScriptedImages();
    AttemptLedger ledger;

    @Override
    protected String[] routeFiles() {
        return new String[] {"shared.camel.yaml", "generation.camel.yaml"};
    }

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("glisk.replicate.base-url", BASE_URL);
        settings.put("glisk.replicate.model", "black-forest-labs/flux-schnell");
        settings.put("glisk.replicate.timeout-seconds", "2");
        settings.put("glisk.replicate.poll-interval-millis", "10");
        return settings;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        ledger = bindTokenStageBeans(registry);
        registry.bind("promptResolver", new PromptResolver(new PromptSettings(DEFAULT_PROMPT, FALLBACK_PROMPT)));
        registry.bind("replicatePredictions", new ReplicatePredictions(new ReplicateSettings(null, BASE_URL,
                "black-forest-labs/flux-schnell", 2, 10, 600, List.of("nsfw"))));
        registry.bind("imageFetcher", images);
    }

    @BeforeEach
    void replaceTheClaimTheDatabaseAndReplicate() throws Exception {
        AdviceWith.adviceWith(context, "generation", route -> {
            route.replaceFromWith("direct:generation");
            route.weaveById("generation-store").replace().to("mock:stored");
        });
        AdviceWith.adviceWith(context, "generation-failed",
                route -> route.weaveById("generation-mark-failed").replace().to("mock:failed"));
        AdviceWith.adviceWith(context, "replicate-http",
                route -> route.weaveById("replicate-http-call").replace().process(replicate));
        context.start();
    }

    static String prediction(String status, String error) {
        return """
                {"id": "p%s", "status": "%s", "output": %s, "error": %s,
                 "urls": {"get": "%s/v1/predictions/p1"}}""".formatted(UUID.randomUUID().toString().substring(0, 8),
                status, "succeeded".equals(status) ? "[\"" + OUTPUT + "\"]" : "null",
                error == null ? "null" : "\"" + error + "\"", BASE_URL);
    }

    /** Token {@link #TOKEN}, claimed with its first attempt counted. */
    private void claim() {
        claim(1);
    }

    private void claim(int attempts) {
        ledger.claimed(TOKEN, attempts);
        Map<String, Object> row = new HashMap<>();
        row.put("token_id", TOKEN);
        row.put("lease_id", UUID.randomUUID());
        row.put("attempts", attempts);
        row.put("prompt_text", PROMPT);
        row.put("last_error", "Replicate answered HTTP 503");
        claimed("generation", row);
    }

    private MockEndpoint failed() {
        return getMockEndpoint("mock:failed");
    }

    private MockEndpoint stored() {
        return getMockEndpoint("mock:stored");
    }

    private List<String> prompts() {
        return replicate.requests().stream().filter(r -> "POST".equals(r.method())).map(ScriptedHttp.Request::body).toList();
    }

    @Test
    void transientFailuresAreRetriedWithGrowingWaitsUntilTheAttemptsAreUsedUp() {
        replicate.answer(500, "{\"detail\": \"An unexpected error occurred\"}")
                .answer(503, "upstream unavailable")
                .answer(502, "bad gateway");

        claim();

        assertThat(replicate.requests()).hasSize(MAX_ATTEMPTS);
        assertThat(replicate.millisBefore(1)).isGreaterThanOrEqualTo(INITIAL_DELAY_MILLIS);
        assertThat(replicate.millisBefore(2)).isGreaterThanOrEqualTo(2 * INITIAL_DELAY_MILLIS);
        // each retry counted before it started, with the reason of the attempt before it
        assertThat(ledger.attempts(TOKEN)).isEqualTo(MAX_ATTEMPTS);
        assertThat(ledger.retryErrors(TOKEN)).containsExactly(
                "Replicate answered HTTP 500: An unexpected error occurred", "Replicate answered HTTP 503: upstream unavailable");
        assertThat(variableOf(failed(), "failure"))
                .isEqualTo("Attempts exhausted (3 of 3): Replicate answered HTTP 502: bad gateway");
        assertThat(variableOf(failed(), "exhausted")).isEqualTo("true");
        assertThat(stored().getReceivedExchanges()).isEmpty();
    }

    @Test
    void aPermanentRefusalFailsTheTokenAtOnce() {
        replicate.answer(422, "{\"detail\": \"- input.prompt: String too long\"}");

        claim();

        assertThat(replicate.requests()).hasSize(1);
        assertThat(ledger.attempts(TOKEN)).isEqualTo(1);
        assertThat(variableOf(failed(), "failure")).isEqualTo("Replicate answered HTTP 422: - input.prompt: String too long");
        assertThat(variableOf(failed(), "exhausted")).isEqualTo("false");
    }

    @Test
    void aRetryAfterLongerThanTheMaximumBackoffWaitsOnlyTheMaximum() {
        replicate.answer(429, "{\"detail\": \"Request was throttled.\"}", "3600");

        claim();

        assertThat(replicate.requests()).hasSize(2);
        assertThat(replicate.millisBefore(1)).isBetween(MAX_DELAY_MILLIS, 5_000L);
        assertThat(stored().getReceivedExchanges()).hasSize(1);
    }

    @Test
    void aConnectionErrorIsNamedAfterTheProviderTheRouteCalled() {
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            replicate.fail(new ConnectException("Connection refused"));
        }

        claim();

        String reason = "Replicate request failed: java.net.ConnectException: Connection refused";
        assertThat(ledger.retryErrors(TOKEN)).containsExactly(reason, reason);
        assertThat(variableOf(failed(), "failure")).isEqualTo("Attempts exhausted (3 of 3): " + reason);
    }

    @Test
    void aLostLeaseStopsTheWorkWithoutTouchingTheToken() {
        replicate.answer(503, "upstream unavailable");
        ledger.loseLease(TOKEN);

        claim();

        assertThat(replicate.requests()).hasSize(1);
        assertThat(failed().getReceivedExchanges()).isEmpty();
        assertThat(stored().getReceivedExchanges()).isEmpty();
    }

    @Test
    void aTokenThatCameBackWithItsAttemptsUsedUpFailsWithoutACall() {
        claim(MAX_ATTEMPTS + 1);

        assertThat(replicate.requests()).isEmpty();
        assertThat(variableOf(failed(), "failure")).isEqualTo("Attempts exhausted (3 of 3): Replicate answered HTTP 503");
    }

    @Test
    void aPromptRefusedOnContentIsGeneratedOnceMoreFromTheFallbackAndMarkedCensored() {
        replicate.answer(201, prediction("failed", "NSFW content detected. Try running it again."));

        claim();

        assertThat(prompts()).containsExactly("{\"input\":{\"prompt\":\"" + PROMPT + "\"}}",
                "{\"input\":{\"prompt\":\"" + FALLBACK_PROMPT + "\"}}");
        assertThat(variableOf(stored(), "censored")).isEqualTo("true");
        assertThat(variableOf(stored(), "image_url")).isEqualTo(OUTPUT);
        assertThat(failed().getReceivedExchanges()).isEmpty();
    }

    @Test
    void aFallbackRefusedTooFailsTheTokenWithoutRetry() {
        replicate.answer(201, prediction("failed", "NSFW content detected"))
                .answer(201, prediction("failed", "NSFW content detected again"));

        claim();

        assertThat(replicate.requests()).hasSize(2);
        assertThat(variableOf(failed(), "failure"))
                .isEqualTo("Content policy refused the prompt and the fallback prompt: NSFW content detected again");
        assertThat(ledger.attempts(TOKEN)).isEqualTo(1);
    }

    @Test
    void anOutputGoneBeforeItWasKeptIsGeneratedAgain() {
        images.gone("image at replicate.delivery/xezq/out-0.webp is gone (HTTP 404)");

        claim();

        assertThat(prompts()).hasSize(2);
        assertThat(ledger.retryErrors(TOKEN)).containsExactly("image at replicate.delivery/xezq/out-0.webp is gone (HTTP 404)");
        assertThat(stored().getReceivedExchanges()).hasSize(1);
    }
}
