package io.glisk.local.replicate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.support.PipelineTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Replicate simulator over real HTTP, as the pipeline's client and a person with curl meet it: served ahead of
 * the service's own filters, it still answers with Replicate's shapes — a prediction, its output bytes, problem+json
 * errors — never with the admin surface's login challenge, and leaves paths it does not serve to a 404.
 */
class ReplicateSimulatorWireTest extends PipelineTest {

    private static final String CREATE = ReplicateSimulator.PATH + "/v1/models/black-forest-labs/flux-schnell/predictions";
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void resetSimulator() {
        replicate.reset();
    }

    private HttpResponse<String> create(String body, String... headers) {
        return http("POST", CREATE, body.getBytes(UTF_8), headers);
    }

    @Test
    void predictionItsPollAndItsOutputBytes() throws Exception {
        HttpResponse<String> created = create("{\"input\":{\"prompt\":\"a red fox\",\"output_format\":\"png\"}}",
                "Authorization", "Bearer " + REPLICATE_TOKEN, "Content-Type", "application/json", "Prefer", "wait");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode prediction = json.readTree(created.body());
        assertThat(prediction.path("status").asText()).isEqualTo("succeeded");
        assertThat(prediction.path("input").path("prompt").asText()).isEqualTo("a red fox");

        // the answer that waited holds the file itself, as Replicate's fast image models answer
        String inline = prediction.path("output").get(0).asText();
        assertThat(inline).startsWith("data:image/png;base64,");
        byte[] inlineBytes = Base64.getDecoder().decode(inline.substring(inline.indexOf(',') + 1));

        String poll = prediction.path("urls").path("get").asText();
        assertThat(poll).isEqualTo("http://localhost:" + port + ReplicateSimulator.PATH + "/v1/predictions/" + prediction.path("id").asText());
        HttpResponse<String> polled = http("GET", URI.create(poll).getPath(), null, "Authorization", "Bearer " + REPLICATE_TOKEN);
        JsonNode again = json.readTree(polled.body());
        assertThat(again.path("id")).isEqualTo(prediction.path("id"));

        // a poll's answer names a URL to download the same file from
        HttpResponse<byte[]> output = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(again.path("output").get(0).asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(output.statusCode()).isEqualTo(200);
        assertThat(output.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(output.headers().firstValueAsLong("Content-Length")).hasValue(output.body().length);
        assertThat(new String(output.body(), 1, 3, UTF_8)).isEqualTo("PNG");
        assertThat(output.body()).isEqualTo(inlineBytes);
        assertThat(replicate.predictionsCreated()).isEqualTo(1);
    }

    @Test
    void errorsInReplicateShapesNotTheAdminLogin() throws Exception {
        HttpResponse<String> anonymous = create("{\"input\":{\"prompt\":\"a red fox\"}}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(anonymous.body()).path("detail").asText()).isEqualTo("You did not pass a valid authentication token");

        HttpResponse<String> hostile = create("{\"input\": [\"" + "x".repeat(100_000) + "\"]",
                "Authorization", "Bearer " + REPLICATE_TOKEN);
        assertThat(hostile.statusCode()).isEqualTo(400);
        assertThat(json.readTree(hostile.body()).path("title").asText()).isEqualTo("Invalid JSON");

        replicate.enqueue(SimulatedFault.throttle(2000));
        HttpResponse<String> throttled = create("{\"input\":{\"prompt\":\"a red fox\"}}", "Authorization", "Bearer " + REPLICATE_TOKEN);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("2");

        assertThat(http("GET", ReplicateSimulator.PATH + "/v1/predictions/nosuchprediction", null,
                "Authorization", "Bearer " + REPLICATE_TOKEN).statusCode()).isEqualTo(404);
        assertThat(http("GET", ReplicateSimulator.PATH + "/delivery/nosuch/out-0.webp", null).statusCode()).isEqualTo(404);
        // not part of Replicate's API: passed on to the service, which has nothing there either
        assertThat(http("DELETE", CREATE, null, "Authorization", "Bearer " + REPLICATE_TOKEN).statusCode()).isIn(404, 405);
        assertThat(replicate.predictionsCreated()).isZero();
    }
}
