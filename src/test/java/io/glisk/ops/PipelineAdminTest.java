package io.glisk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.support.PipelineTest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/** The operators' API: summary, a token's story, retries one by one and in bulk. */
// the generation stage's pipeline, shared with GenerationStageTest: tokens stop at uploading
@TestPropertySource(properties = "glisk.stages.ipfs.enabled=false")
@ExtendWith(OutputCaptureExtension.class)
class PipelineAdminTest extends PipelineTest {

    static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String path, String body) {
        return admin("POST", path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    }

    private void failed(long tokenId, String stage, String error) {
        long author = author("0xADAD" + "0".repeat(34) + String.format("%02d", tokenId), "prompt " + tokenId);
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, failed_stage, generation_error, upload_error, "
                + "generation_attempts) VALUES (?, ?, 'failed', ?, ?, ?, 3)", tokenId, author, stage,
                stage.equals("generation") ? error : null, stage.equals("ipfs") ? error : null);
    }

    @Test
    void summaryCountsTokensPerStatusWithTheOldestAge() throws Exception {
        failed(1, "generation", "Replicate answered HTTP 401: bad token");
        jdbc.update("UPDATE tokens_s0 SET status_changed_at = now() - interval '2 hours' WHERE token_id = 1");

        JsonNode summary = json(admin("GET", "/api/pipeline/summary", null));

        assertThat(summary.at("/tokens/failed").asInt()).isEqualTo(1);
        assertThat(summary.at("/tokens/revealed").asInt()).isZero();
        assertThat(summary.at("/oldestAgeSeconds/failed").asLong()).isBetween(7190L, 7300L);
        assertThat(summary.get("queueDepth").asInt()).isZero();
        assertThat(summary.has("throughput")).isTrue();
        assertThat(summary.has("leases")).isTrue();
    }

    @Test
    void aTokensStoryHasItsStateEventsAndAuthorButNeverThePrompt() throws Exception {
        detected(5, author("0xADAD000000000000000000000000000000000005", "a secret prompt text"));
        awaitStatus(5, "uploading");

        HttpResponse<String> response = admin("GET", "/api/tokens/5", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode story = json(response);
        assertThat(story.get("status").asText()).isEqualTo("uploading");
        assertThat(story.get("generation_prediction_id").asText()).matches("[a-z2-7]{26}");
        assertThat(story.get("author_has_prompt").asBoolean()).isTrue();
        assertThat(story.get("image_kept").asBoolean()).isTrue();
        assertThat(story.get("events").get(0).get("event").asText()).isEqualTo("succeeded");
        assertThat(response.body()).doesNotContain("a secret prompt text");
        assertThat(admin("GET", "/api/tokens/404404", null).statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/api/tokens/not-a-number", null).statusCode()).isEqualTo(400);
    }

    @Test
    void aFailedTokenIsRetriedFromTheStageThatFailedIt(CapturedOutput output) throws Exception {
        failed(10, "generation", "Replicate answered HTTP 401: You did not pass a valid authentication token");

        HttpResponse<String> retried = post("/api/tokens/10/retry", null);

        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(json(retried).get("status").asText()).isEqualTo("detected");
        awaitStatus(10, "uploading");
        assertThat(token(10)).containsEntry("generation_attempts", 1).containsEntry("generation_error", null);
        assertThat(jdbc.queryForObject("SELECT detail->>'by' FROM token_events WHERE token_id = 10 AND event = 'retried'",
                String.class)).isEqualTo(ADMIN_USER);
        // the audit trail in the log: who did what to which token
        assertThat(output.getOut()).contains("admin.token_retried event=\"admin.token_retried\" user=\"" + ADMIN_USER
                + "\" token_id=\"10\" to=\"detected\"");
        // nothing to retry any more
        HttpResponse<String> again = post("/api/tokens/10/retry", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("error").asText()).contains("is uploading");
        assertThat(post("/api/tokens/999999/retry", null).statusCode()).isEqualTo(404);
    }

    @Test
    void bulkRetryByStageAndErrorWithADryRunFirst(CapturedOutput output) throws Exception {
        failed(20, "generation", "Replicate answered HTTP 401: You did not pass a valid authentication token");
        failed(21, "generation", "Replicate answered HTTP 401: You did not pass a valid authentication token");
        failed(22, "generation", "Prompt validation failed: prompt is blank");
        failed(23, "ipfs", "Pinata answered HTTP 401: Invalid authentication credentials provided");
        failed(24, "generation", "100% of attempts used_up");

        JsonNode dryRun = json(post("/api/tokens/retry",
                "{\"stage\": \"generation\", \"errorContains\": \"HTTP 401\", \"dryRun\": true}"));

        assertThat(dryRun.get("wouldRetry").asInt()).isEqualTo(2);
        assertThat(dryRun.get("tokenIds").toString()).isEqualTo("[20,21]");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tokens_s0 WHERE status = 'failed'", Integer.class)).isEqualTo(5);

        JsonNode done = json(post("/api/tokens/retry", "{\"stage\": \"generation\", \"errorContains\": \"http 401\"}"));

        assertThat(done.get("retried").asInt()).isEqualTo(2);
        assertThat(output.getOut()).contains("admin.tokens_retry_dry_run").contains("admin.tokens_retried")
                .contains("admin.tokens_retried event=\"admin.tokens_retried\" user=\"" + ADMIN_USER + "\"");
        awaitStatus(20, "uploading");
        awaitStatus(21, "uploading");
        assertThat(token(22)).containsEntry("status", "failed");
        assertThat(token(23)).containsEntry("status", "failed");
        // the operator's text is matched literally: % and _ are not wildcards
        assertThat(json(post("/api/tokens/retry", "{\"errorContains\": \"100% of attempts used_\", \"dryRun\": true}"))
                .get("tokenIds").toString()).isEqualTo("[24]");
        assertThat(json(post("/api/tokens/retry", "{\"errorContains\": \"%\", \"dryRun\": true}"))
                .get("tokenIds").toString()).isEqualTo("[24]");
    }

    @Test
    void badBulkRequestsGetAClearError() throws Exception {
        assertThat(json(post("/api/tokens/retry", "{\"status\": \"revealed\"}")).get("error").asText())
                .isEqualTo("status must be failed or ready");
        assertThat(json(post("/api/tokens/retry", "{\"stage\": \"everything\"}")).get("error").asText())
                .isEqualTo("stage must be generation, ipfs or reveal");
        assertThat(json(post("/api/tokens/retry", "{\"limit\": 0}")).get("error").asText())
                .startsWith("limit must be between");
        assertThat(json(post("/api/tokens/retry", "{\"errorContains\": \"" + "x".repeat(201) + "\"}")).get("error").asText())
                .isEqualTo("errorContains must be 1 to 200 characters");
        HttpResponse<String> truncated = post("/api/tokens/retry", "{\"status\": ");
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(json(truncated).get("error").asText()).startsWith("body must be JSON");
        assertThat(post("/api/tokens/retry", "{\"limit\": \"many\"}").statusCode()).isEqualTo(400);
    }
}
