package io.glisk.console;

import static org.awaitility.Awaitility.await;

import io.glisk.support.PipelineTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.TestPropertySource;

/**
 * The one application context of the console's tests (browser and plain HTTP alike, so it starts once): local
 * mode with every stage, a viewer account, a Grafana link, and short reveal batches; the avatar simulators answer
 * in half a second (a small data set takes a few seconds, long enough to watch its progress) with small pictures.
 */
@TestPropertySource(properties = {
        "GLISK_VIEWER_USER=" + ConsoleContext.VIEWER_USER,
        "GLISK_VIEWER_PASSWORD=" + ConsoleContext.VIEWER_PASSWORD,
        "GLISK_GRAFANA_URL=" + ConsoleContext.GRAFANA_URL,
        "glisk.reveal.wait-millis=300",
        "glisk.simulators.openai.latency-millis=500",
        "glisk.simulators.openai.image-size=384",
        "glisk.simulators.flowise.latency-millis=200",
        "glisk.avatar.worker-interval-seconds=1"})
abstract class ConsoleContext extends PipelineTest {

    static final String VIEWER_USER = "watcher";
    static final String VIEWER_PASSWORD = "viewer-Secret-5e0b7d";
    static final String GRAFANA_URL = "http://grafana.example:3000/d/glisk-pipeline";
    /** Text a provider could send back, which the pages must show as text and never run. */
    static final String HOSTILE_ERROR = "Replicate answered HTTP 503: <script>window.__pwned = 1</script>"
            + "<img src=x onerror=\"window.__pwned = 2\"> upstream reset";

    @BeforeEach
    void avatarFromNothing() {
        noAvatarTasks();
    }

    /**
     * An avatar task ordered through the API by the admin; answers its public id. (The local simulators refuse every
     * photo of personas whose bios are in "Gore": their prompts carry the language.)
     */
    protected String order(int personas, int imagesPerPersona, String description, String language) {
        HttpResponse<String> answer = admin("POST", "/api/avatar/tasks", String.format(
                "{\"personaCount\": %d, \"imagesPerPersona\": %d, \"personaDescription\": \"%s\", \"bioLanguage\": \"%s\"}",
                personas, imagesPerPersona, description, language).getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("not ordered: " + answer.statusCode() + " " + answer.body());
        }
        return jdbc.queryForObject("SELECT task_id FROM avatar_tasks ORDER BY task_key DESC LIMIT 1", String.class);
    }

    protected String avatarStatus(String taskId) {
        return jdbc.queryForObject("SELECT status FROM avatar_tasks WHERE task_id = ?", String.class, taskId);
    }

    protected void awaitAvatarStatus(String taskId, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(avatarStatus(taskId)));
    }

    /** A token that failed in a stage, inserted as the pipeline leaves one (ids far above the chain's). */
    protected void failed(long tokenId, String stage, String error) {
        long author = author(String.format("0xC0C0%036x", tokenId), "a prompt of token " + tokenId);
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, failed_stage, generation_error, upload_error, "
                        + "generation_attempts, upload_attempts) VALUES (?, ?, 'failed', ?, ?, ?, 3, ?)",
                tokenId, author, stage, stage.equals("generation") ? error : null, stage.equals("ipfs") ? error : null,
                stage.equals("ipfs") ? 3 : 0);
    }

    /** A request with the viewer's credentials. */
    protected HttpResponse<String> viewer(String method, String path) {
        return http(method, path, null, "Authorization", basic(VIEWER_USER, VIEWER_PASSWORD));
    }

    /** An HTTP Basic {@code Authorization} header. */
    protected static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
