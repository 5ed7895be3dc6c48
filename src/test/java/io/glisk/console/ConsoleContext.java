package io.glisk.console;

import io.glisk.support.PipelineTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.test.context.TestPropertySource;

/**
 * The one application context of the console's tests (browser and plain HTTP alike, so it starts once): local
 * mode with every stage, a viewer account, a Grafana link, and short reveal batches.
 */
@TestPropertySource(properties = {
        "GLISK_VIEWER_USER=" + ConsoleContext.VIEWER_USER,
        "GLISK_VIEWER_PASSWORD=" + ConsoleContext.VIEWER_PASSWORD,
        "GLISK_GRAFANA_URL=" + ConsoleContext.GRAFANA_URL,
        "glisk.reveal.wait-millis=300"})
abstract class ConsoleContext extends PipelineTest {

    static final String VIEWER_USER = "watcher";
    static final String VIEWER_PASSWORD = "viewer-Secret-5e0b7d";
    static final String GRAFANA_URL = "http://grafana.example:3000/d/glisk-pipeline";
    /** Text a provider could send back, which the pages must show as text and never run. */
    static final String HOSTILE_ERROR = "Replicate answered HTTP 503: <script>window.__pwned = 1</script>"
            + "<img src=x onerror=\"window.__pwned = 2\"> upstream reset";

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
