package io.glisk.generation;

import static io.glisk.local.replicate.SimulatedFault.Kind.EXPIRED_OUTPUT;
import static io.glisk.local.replicate.SimulatedFault.Kind.FOREIGN_POLL_URL;
import static io.glisk.local.replicate.SimulatedFault.Kind.INVALID_INPUT;
import static io.glisk.local.replicate.SimulatedFault.Kind.MALFORMED;
import static io.glisk.local.replicate.SimulatedFault.Kind.OVERSIZED;
import static io.glisk.local.replicate.SimulatedFault.Kind.SERVER_ERROR;
import static io.glisk.local.replicate.SimulatedFault.Kind.UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glisk.local.replicate.SimulatedFault;
import io.glisk.support.PipelineTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Value;

// the generation stage alone: tokens stop at uploading, with their kept image bytes
@TestPropertySource(properties = "glisk.stages.ipfs.enabled=false")
class GenerationStageTest extends PipelineTest {

    @Value("${glisk.prompts.default-prompt}")
    String defaultPrompt;
    @Value("${glisk.prompts.fallback-censored}")
    String fallbackPrompt;

    @Test
    void detectedTokenGetsItsImageGeneratedKeptAndHandedToUploading() {
        detected(1, author("0xA11CE00000000000000000000000000000000001", "A majestic sunset over snow-capped mountains"));

        Map<String, Object> token = awaitStatus(1, "uploading");

        assertThat(token.get("generation_attempts")).isEqualTo(1);
        assertThat(token.get("generation_error")).isNull();
        assertThat(token.get("generation_censored")).isEqualTo(false);
        assertThat(token.get("lease_owner")).isNull();
        // the answer that waited held the image itself: nothing downloaded, no URL to note
        assertThat(token.get("image_url")).isNull();
        assertThat((String) token.get("generation_prediction_id")).matches("[a-z2-7]{26}");
        Map<String, Object> image = jdbc.queryForMap("SELECT content_type, bytes FROM token_images WHERE token_id = 1");
        assertThat(image.get("content_type")).isEqualTo("image/webp");
        assertThat(new String((byte[]) image.get("bytes"), 0, 4)).isEqualTo("RIFF");
        assertThat(replicate.predictionsByPrompt()).containsExactlyEntriesOf(
                Map.of("A majestic sunset over snow-capped mountains", 1));
    }

    @Test
    void promptIsSentByteForByteWhateverItContains() {
        String prompt = "He said \"hi\" & 'bye' 🎨🚀👩‍🎨 '); DROP TABLE tokens_s0; -- ${body} {{glisk.mode}} "
                + "#{1+1} \\n\\u0000 ünïcödé 中文 العربية\ttab\nnewline";
        detected(7, author("0xA11CE00000000000000000000000000000000007", prompt));

        awaitStatus(7, "uploading");

        assertThat(replicate.predictionsByPrompt()).containsExactlyEntriesOf(Map.of(prompt, 1));
        assertThat(jdbc.queryForObject("SELECT prompt_text FROM authors", String.class)).isEqualTo(prompt);
    }

    @Test
    void authorWithoutPromptGetsTheDefaultPrompt() {
        detected(2, author("0xA11CE00000000000000000000000000000000002", null));

        awaitStatus(2, "uploading");

        assertThat(replicate.predictionsByPrompt()).containsExactlyEntriesOf(Map.of(defaultPrompt, 1));
    }

    @Test
    void blankOrTooLongPromptFailsWithoutCallingTheProvider() {
        detected(3, author("0xA11CE00000000000000000000000000000000003", "   \t\n "));
        detected(4, author("0xA11CE00000000000000000000000000000000004", "x".repeat(1001)));
        // 1000 characters that are 2000 UTF-16 units: within the limit
        detected(5, author("0xA11CE00000000000000000000000000000000005", "🎨".repeat(1000)));

        assertThat(awaitStatus(3, "failed").get("generation_error")).isEqualTo("Prompt validation failed: prompt is blank");
        assertThat(awaitStatus(4, "failed").get("generation_error"))
                .isEqualTo("Prompt validation failed: prompt is 1001 characters long, the limit is 1000");
        awaitStatus(5, "uploading");
        assertThat(replicate.predictionsByPrompt()).containsOnlyKeys("🎨".repeat(1000));
    }

    @Test
    void transientErrorsUseUpTheAttemptsThenFailTheToken() {
        // Replicate answers everyone else: these errors are this token's, not an outage
        long others = author("0xA11CE00000000000000000000000000000000110", "fine");
        for (long id = 101; id <= 104; id++) {
            detected(id, others);
            awaitStatus(id, "uploading");
        }
        replicate.enqueue(SimulatedFault.of(SERVER_ERROR), SimulatedFault.of(UNAVAILABLE), SimulatedFault.of(MALFORMED));
        detected(10, author("0xA11CE00000000000000000000000000000000010", "retry me"));

        Map<String, Object> token = awaitStatus(10, "failed");

        // 3 attempts in all, each counted in the database, the last reason kept
        assertThat(token.get("generation_attempts")).isEqualTo(3);
        assertThat((String) token.get("generation_error"))
                .startsWith("Attempts exhausted (3 of 3): Replicate answered malformed JSON");
        assertThat(replicate.createRequestTimes()).hasSize(4 + 3);
        assertThat(jdbc.queryForList("SELECT detail->>'error' FROM token_events WHERE token_id = 10 AND event = 'retry' ORDER BY id",
                String.class)).containsExactly(
                "Replicate answered HTTP 500: An unexpected error occurred, please try again",
                "Replicate answered HTTP 503: <html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void twoTransientFailuresThenSuccessUsesThreeAttempts(CapturedOutput output) {
        replicate.enqueue(SimulatedFault.of(SERVER_ERROR), SimulatedFault.of(OVERSIZED));
        detected(11, author("0xA11CE00000000000000000000000000000000011", "third time lucky"));

        Map<String, Object> token = awaitStatus(11, "uploading");

        assertThat(token.get("generation_attempts")).isEqualTo(3);
        assertThat(token.get("generation_error")).isNull();
        assertThat(replicate.createRequestTimes()).hasSize(3);
        // the retries ran on the stages' own pool, not on a thread Camel's timers and aggregators share
        assertThat(output.getOut().lines().filter(line -> line.contains("token.generation.retry") && line.contains("token_id=\"11\"")))
                .hasSize(2).allMatch(line -> line.contains("stage-retry"));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anOutageForEveryoneFailsNoTokenAndCostsThemNoAttempts(CapturedOutput output) {
        Instant back = Instant.now().plusSeconds(6);
        replicate.setUnavailableUntil(back);
        long author = author("0xA11CE00000000000000000000000000000000030", "through the outage");
        for (long id = 300; id < 320; id++) {
            detected(id, author);
        }

        await().atMost(Duration.ofSeconds(40)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM tokens_s0 WHERE status = 'uploading'", Integer.class) == 20);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM tokens_s0 WHERE status = 'failed'", Integer.class)).isZero();
        // what each token spent in the outage was given back: one attempt, the one that worked
        assertThat(jdbc.queryForObject("SELECT max(generation_attempts) FROM tokens_s0 WHERE token_id BETWEEN 300 AND 319",
                Integer.class)).isEqualTo(1);
        // the circuit stopped the calls: the first ones failed, then two probes a second, where 20 tokens with 3
        // attempts each would have sent 60 and all failed
        long duringOutage = replicate.createRequestTimes().stream().filter(t -> t < back.toEpochMilli()).count();
        assertThat(duringOutage).isLessThanOrEqualTo(30);
        assertThat(output.getOut()).contains("provider.circuit_opened").contains("provider.circuit_closed")
                .contains("token.waiting_for_provider");
    }

    @Test
    void aTokenWhoseAttemptsRunOutBeforeTheCircuitOpensWaitsForTheProviderAndSpendsNothing() {
        // before the outage, calls that worked: the circuit weighs them with the first failures and stays closed
        long before = author("0xA11CE00000000000000000000000000000000032", "before the outage");
        for (long id = 400; id < 407; id++) {
            detected(id, before);
            awaitStatus(id, "uploading");
        }
        Instant back = Instant.now().plusSeconds(4);
        replicate.setUnavailableUntil(back);
        // the first token of the outage, alone in it: its three attempts fail before three in ten calls can open
        // the circuit — three failures in a row tell the outage anyway
        detected(410, author("0xA11CE00000000000000000000000000000000033", "arrives during the outage"));

        Map<String, Object> token = await().atMost(Duration.ofSeconds(30)).until(() -> token(410),
                t -> "uploading".equals(t.get("status")) || "failed".equals(t.get("status")));

        assertThat(token).containsEntry("status", "uploading").containsEntry("generation_attempts", 1);
        assertThat(replicate.createRequestTimes().stream().filter(t -> t < back.toEpochMilli())).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aRateLimitSlowsTheWholeStageDownInsteadOfFailingTokens() {
        replicate.enqueue(SimulatedFault.throttle(2000));
        long author = author("0xA11CE00000000000000000000000000000000031", "slow down");
        for (long id = 330; id < 360; id++) {
            detected(id, author);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM tokens_s0 WHERE status = 'uploading'", Integer.class) == 30);

        // one 429 held the stage back for its Retry-After: past the requests already on their way with it, no
        // request went out in those two seconds
        List<Long> times = replicate.createRequestTimes();
        long throttledAt = times.get(0);
        assertThat(times.stream().filter(t -> t > throttledAt + 200 && t < throttledAt + 1_900)).isEmpty();
        assertThat(times).hasSizeGreaterThanOrEqualTo(31);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tokens_s0 WHERE status = 'failed'", Integer.class)).isZero();
    }

    @Test
    void throttlingHonoursRetryAfter() {
        replicate.enqueue(SimulatedFault.throttle(1500));
        detected(12, author("0xA11CE00000000000000000000000000000000012", "throttled"));

        awaitStatus(12, "uploading");

        List<Long> times = replicate.createRequestTimes();
        assertThat(times).hasSize(2);
        // Retry-After: 2 (1.5 s rounded up, as Replicate does) replaces the 50 ms backoff of this test setup
        assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(1900);
    }

    @Test
    void aRetryAfterLongerThanTheMaximumBackoffIsCappedByIt() {
        // an hour, from a provider that is mistaken or hostile: the token comes back after the stage's maximum
        // backoff (2.5 s in these tests), not in an hour
        replicate.enqueue(SimulatedFault.throttle(3_600_000));
        detected(20, author("0xA11CE00000000000000000000000000000000020", "told to wait an hour"));

        awaitStatus(20, "uploading");

        List<Long> times = replicate.createRequestTimes();
        assertThat(times).hasSize(2);
        assertThat(times.get(1) - times.get(0)).isBetween(2_000L, 4_000L);
    }

    @Test
    void wrongApiTokenFailsAtOnceWithoutRetry() {
        replicate.setAcceptedToken("some-other-token");
        detected(13, author("0xA11CE00000000000000000000000000000000013", "unauthorized"));

        Map<String, Object> token = awaitStatus(13, "failed");

        assertThat(token.get("generation_attempts")).isEqualTo(1);
        assertThat(token.get("generation_error"))
                .isEqualTo("Replicate answered HTTP 401: You did not pass a valid authentication token");
        assertThat(replicate.createRequestTimes()).hasSize(1);
    }

    @Test
    void invalidInputAndFailedPredictionsArePermanent() {
        replicate.enqueue(SimulatedFault.of(INVALID_INPUT));
        detected(14, author("0xA11CE00000000000000000000000000000000014", "rejected input"));
        assertThat(awaitStatus(14, "failed").get("generation_error"))
                .isEqualTo("Replicate answered HTTP 422: - input.prompt: String too long");

        replicate.enqueue(SimulatedFault.failedPrediction("CUDA out of memory"));
        detected(15, author("0xA11CE00000000000000000000000000000000015", "broken model"));
        assertThat((String) awaitStatus(15, "failed").get("generation_error"))
                .matches("Replicate prediction [a-z2-7]{26} failed: CUDA out of memory");
        assertThat(replicate.createRequestTimes()).hasSize(2);
    }

    @Test
    void nsfwRefusalFallsBackToTheCensoredPromptThroughItsOwnRoute() {
        detected(20, author("0xA11CE00000000000000000000000000000000020", "something nsfw"));

        Map<String, Object> token = awaitStatus(20, "uploading");

        assertThat(token.get("generation_censored")).isEqualTo(true);
        assertThat(replicate.predictionsByPrompt()).containsExactlyInAnyOrderEntriesOf(
                Map.of("something nsfw", 1, fallbackPrompt, 1));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_images WHERE token_id = 20", Integer.class)).isEqualTo(1);
    }

    @Test
    void fallbackRefusedTooFailsTheToken() {
        String refusal = "All generated images contained NSFW content. Try running it again with a different prompt.";
        replicate.enqueue(SimulatedFault.failedPrediction(refusal), SimulatedFault.failedPrediction(refusal));
        detected(21, author("0xA11CE00000000000000000000000000000000021", "innocent but unlucky"));

        Map<String, Object> token = awaitStatus(21, "failed");

        assertThat(token.get("generation_error"))
                .isEqualTo("Content policy refused the prompt and the fallback prompt: " + refusal);
        assertThat(replicate.createRequestTimes()).hasSize(2);
    }

    @Test
    void slowProviderPastTheTimeoutIsRetried() {
        replicate.enqueue(SimulatedFault.slow(3_000));
        detected(30, author("0xA11CE00000000000000000000000000000000030", "slow"));

        Map<String, Object> token = awaitStatus(30, "uploading");

        assertThat(token.get("generation_attempts")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT detail->>'error' FROM token_events WHERE token_id = 30 AND event = 'retry'",
                String.class)).containsIgnoringCase("timeout");
        awaitTheTimedOutRequest("slow");
    }

    /**
     * The request the stage gave up on still ends on the provider's side, a second after its timeout, with a
     * prediction: it must end here, not in the next test's counts.
     */
    private void awaitTheTimedOutRequest(String prompt) {
        await().atMost(Duration.ofSeconds(5)).until(() -> replicate.predictionsByPrompt().getOrDefault(prompt, 0) == 2);
    }

    @Test
    void longRunningPredictionIsPolledUntilItSucceedsAndItsOutputDownloaded() {
        replicate.setWaitMillis(200);
        replicate.setProcessingMillis(1_200);
        detected(31, author("0xA11CE00000000000000000000000000000000031", "take your time"));

        Map<String, Object> token = awaitStatus(31, "uploading");

        assertThat(token.get("generation_attempts")).isEqualTo(1);
        assertThat(replicate.createRequestTimes()).hasSize(1);
        // a poll's answer names the output's URL, as Replicate's do
        assertThat((String) token.get("image_url")).contains("/sim/replicate/delivery/").endsWith("/out-0.webp");
        Map<String, Object> image = jdbc.queryForMap("SELECT content_type, bytes, source_url FROM token_images WHERE token_id = 31");
        assertThat(image.get("content_type")).isEqualTo("image/webp");
        assertThat(new String((byte[]) image.get("bytes"), 0, 4)).isEqualTo("RIFF");
        assertThat(image.get("source_url")).isEqualTo(token.get("image_url"));
    }

    @Test
    void pollingUrlOnAnotherHostIsNeverFollowed() {
        replicate.setWaitMillis(0);
        replicate.setProcessingMillis(500);
        replicate.enqueue(SimulatedFault.of(FOREIGN_POLL_URL));
        detected(32, author("0xA11CE00000000000000000000000000000000032", "hostile answer"));

        // polled on the configured origin instead (attacker.example does not even resolve)
        Map<String, Object> token = awaitStatus(32, "uploading");
        assertThat(token.get("generation_attempts")).isEqualTo(1);
    }

    @Test
    void expiredOutputIsGeneratedAgainInsteadOfStrandingTheToken() {
        replicate.enqueue(SimulatedFault.of(EXPIRED_OUTPUT));
        detected(33, author("0xA11CE00000000000000000000000000000000033", "gone too soon"));

        Map<String, Object> token = awaitStatus(33, "uploading");

        assertThat(token.get("generation_attempts")).isEqualTo(2);
        assertThat(replicate.predictionsByPrompt()).containsEntry("gone too soon", 2);
        assertThat(jdbc.queryForObject("SELECT detail->>'error' FROM token_events WHERE token_id = 33 AND event = 'retry'",
                String.class)).matches("image at localhost/sim/replicate/delivery/[a-z2-7]{26}/out-0.webp is gone \\(HTTP 404\\)");
    }

    @Test
    void tokenOfAVanishedHolderComesBackAfterItsLeaseAndCountsTheAttempt() {
        long author = author("0xA11CE00000000000000000000000000000000040", "orphan");
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, generation_attempts, lease_id, lease_owner, lease_expires_at) "
                + "VALUES (40, ?, 'generating', 1, gen_random_uuid(), 'crashed-instance', now() + interval '1 second')", author);

        Map<String, Object> token = awaitStatus(40, "uploading");

        assertThat(token.get("generation_attempts")).isEqualTo(2);
    }

    @Test
    void tokenHeldByALiveInstanceIsNotTaken() {
        long author = author("0xA11CE00000000000000000000000000000000041", "someone else's");
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, generation_attempts, lease_id, lease_owner, lease_expires_at) "
                + "VALUES (41, ?, 'generating', 1, gen_random_uuid(), 'live-instance', now() + interval '1 hour')", author);

        // ten fallback polls (every 0.2 s here) leave it alone
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() ->
                "generating".equals(status(41)) && "live-instance".equals(token(41).get("lease_owner"))
                        && replicate.createRequestTimes().isEmpty());
    }

    @Test
    void holderThatDiedDuringTheLastAttemptLeavesAFailedTokenNotALoop() {
        long author = author("0xA11CE00000000000000000000000000000000042", "cursed");
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, generation_attempts, lease_id, lease_owner, lease_expires_at) "
                + "VALUES (42, ?, 'generating', 3, gen_random_uuid(), 'crashed-instance', now() - interval '1 second')", author);

        Map<String, Object> token = awaitStatus(42, "failed");

        assertThat((String) token.get("generation_error")).startsWith("Attempts exhausted (3 of 3)");
        assertThat(replicate.createRequestTimes()).isEmpty();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theApiTokenNeverReachesLogsOrTheDatabase(CapturedOutput output) {
        replicate.setAcceptedToken("not-ours");
        detected(60, author("0xA11CE00000000000000000000000000000000060", "rejected"));
        awaitStatus(60, "failed");
        replicate.setAcceptedToken(REPLICATE_TOKEN);
        replicate.enqueue(SimulatedFault.of(SERVER_ERROR), SimulatedFault.slow(3_000));
        detected(61, author("0xA11CE00000000000000000000000000000000061", "accepted"));
        awaitStatus(61, "uploading");

        assertThat(output.getAll()).contains("token.generation.failed").doesNotContain(REPLICATE_TOKEN);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_events WHERE detail::text LIKE ?", Integer.class,
                "%" + REPLICATE_TOKEN + "%")).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tokens_s0 WHERE concat_ws(' ', generation_error, image_url) LIKE ?",
                Integer.class, "%" + REPLICATE_TOKEN + "%")).isZero();
        awaitTheTimedOutRequest("accepted");
    }

    @Test
    void seedQuickstartSqlWorksAsWritten() {
        jdbc.execute("""
                INSERT INTO authors (wallet_address, prompt_text)
                VALUES ('0xTEST', 'A majestic sunset over snow-capped mountains')
                ON CONFLICT (wallet_address) DO NOTHING;
                INSERT INTO tokens_s0 (contract_address, status, author_id)
                VALUES (
                    '0x742d35Cc6634C0532925a3b844Bc9e7595f0bEb0',
                    'detected',
                    (SELECT author_id FROM authors WHERE wallet_address = '0xTEST')
                );
                -- the same wallet in another case is the same author
                INSERT INTO authors (wallet_address, prompt_text) VALUES ('0xtest', 'ignored')
                ON CONFLICT (wallet_address) DO NOTHING;
                """);

        long tokenId = jdbc.queryForObject("SELECT token_id FROM tokens_s0", Long.class);
        awaitStatus(tokenId, "uploading");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM authors", Integer.class)).isEqualTo(1);
    }

    @Test
    void workLongerThanTheLeaseKeepsItsToken() {
        // the lease is 3 s in these tests; the prediction runs 5 s, polled
        replicate.setWaitMillis(100);
        replicate.setProcessingMillis(5_000);
        detected(43, author("0xA11CE00000000000000000000000000000000043", "slow but steady"));

        Map<String, Object> token = awaitStatus(43, "uploading");

        assertThat(token.get("generation_attempts")).isEqualTo(1);
        assertThat(replicate.predictionsByPrompt()).containsExactlyEntriesOf(Map.of("slow but steady", 1));
    }

    @Test
    void manyTokensFlowWithAtMostBatchSizeInFlight() {
        replicate.setProcessingMillis(150);
        long author = author("0xA11CE00000000000000000000000000000000050", null);
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id) SELECT g, ? FROM generate_series(100, 299) g", author);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                jdbc.queryForObject("SELECT count(*) FROM tokens_s0 WHERE status = 'uploading'", Integer.class) == 200);
        // WORKER_BATCH_SIZE is 10: never more in flight, and the stage keeps its slots full
        assertThat(replicate.mostConcurrentCreates()).isBetween(8, 10);
        assertThat(replicate.predictionsByPrompt()).containsExactlyEntriesOf(Map.of(defaultPrompt, 200));
    }
}
