package io.glisk.avatar;

import io.glisk.provider.ProviderCircuits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.image.ImageRejectedException;
import io.glisk.image.ImageTypes;
import io.glisk.provider.PermanentFailure;
import io.glisk.provider.TransientFailure;
import io.glisk.settings.ConditionalOnStage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.springframework.stereotype.Component;

/**
 * The OpenAI Images API: a base selfie from a prompt ({@code POST /v1/images/generations}) and a 2×2 grid of
 * the same person from the stored base image ({@code POST /v1/images/edits}, multipart). Every image call of
 * the service goes through this one bean, so OPENAI_MAX_CONCURRENT_REQUESTS holds for all tasks together.
 *
 * <p>A plain bean over Apache HttpClient 5 rather than a camel-http endpoint: the shared concurrency limit must
 * hold across routes and tasks, the edits body is multipart, and the answer (megabytes of base64) is decoded
 * and checked here, so a route calls {@code generate} or {@code edit} as one step and gets PNG bytes or the
 * right kind of failure. The client is configured by the same {@link io.glisk.provider.ProviderHttpPolicy} as
 * the camel-http stages: token inside the client for the API's origin only, no redirects, no silent retries,
 * provider metrics.
 */
@Component
@ConditionalOnStage("avatar")
public class OpenAiImages implements AutoCloseable {

    /** A 1536 × 1536 PNG is some 4 MB, 5.5 MB in base64. */
    static final int MAX_ANSWER_BYTES = 64 << 20;
    /** The API's own limit for gpt-image prompts. */
    static final int MAX_PROMPT_CHARS = 32_000;
    /** The API's own limit for an input image. */
    static final int MAX_INPUT_IMAGE_BYTES = 50 << 20;

    private final AvatarSettings.OpenAi settings;
    private final ProviderCall call;
    private final String generationsUrl;
    private final String editsUrl;
    private final ObjectMapper json = new ObjectMapper();

    public OpenAiImages(AvatarSettings avatar, ProviderCircuits circuits) {
        this.settings = avatar.openai();
        String base = settings.baseUrl().replaceAll("/+$", "");
        this.generationsUrl = base + "/v1/images/generations";
        this.editsUrl = base + "/v1/images/edits";
        this.call = new ProviderCall(OpenAiErrors.PROVIDER, "openai", base, settings.apiKey(),
                settings.maxConcurrentRequests(), settings.timeoutSeconds(), MAX_ANSWER_BYTES, circuits);
    }

    /** A new image from the prompt alone: {@code {"model", "prompt", "size": "auto", "n": 1}}. */
    public GeneratedImage generate(String prompt) {
        checked(prompt);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", settings.imageModel());
        body.put("prompt", prompt);
        body.put("size", "auto");
        body.put("n", 1);
        HttpPost request = new HttpPost(generationsUrl);
        try {
            request.setEntity(new StringEntity(json.writeValueAsString(body), ContentType.APPLICATION_JSON));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON request", e);
        }
        return image(call.send(request));
    }

    /** A new image from the base image and the prompt: multipart {@code image[]} (base.png), prompt, model, n, size. */
    public GeneratedImage edit(byte[] basePng, String prompt) {
        checked(prompt);
        if (basePng == null || !"image/png".equals(ImageTypes.sniff(basePng))) {
            throw new PermanentFailure("the base image to edit is not a PNG");
        }
        if (basePng.length > MAX_INPUT_IMAGE_BYTES) {
            throw new PermanentFailure("the base image is larger than the API's " + MAX_INPUT_IMAGE_BYTES + " bytes");
        }
        ContentType text = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);
        HttpPost request = new HttpPost(editsUrl);
        request.setEntity(MultipartEntityBuilder.create()
                // without this the builder announces charset=ISO-8859-1 for the whole form; each text part says UTF-8
                .setContentType(ContentType.create("multipart/form-data"))
                .addBinaryBody("image[]", basePng, ContentType.IMAGE_PNG, "base.png")
                .addTextBody("prompt", prompt, text)
                .addTextBody("model", settings.imageModel(), text)
                .addTextBody("n", "1", text)
                .addTextBody("size", "auto", text)
                .build());
        return image(call.send(request));
    }

    private static void checked(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new PermanentFailure("the image prompt is empty");
        }
        if (prompt.length() > MAX_PROMPT_CHARS) {
            throw new PermanentFailure("the image prompt is longer than " + MAX_PROMPT_CHARS + " characters");
        }
    }

    /** {@code data[0].b64_json} as PNG, and {@code usage}; or the failure the answer means. */
    private GeneratedImage image(ProviderCall.Answer answer) {
        if (answer.status() < 200 || answer.status() > 299) {
            throw OpenAiErrors.classify(answer, call::scrub);
        }
        JsonNode node;
        try {
            node = json.readTree(answer.body());
        } catch (IOException e) {
            throw new TransientFailure("OpenAI answered malformed JSON");
        }
        JsonNode b64 = node == null ? null : node.path("data").path(0).get("b64_json");
        if (b64 == null || !b64.isTextual()) {
            throw new TransientFailure("OpenAI answered without data[0].b64_json");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(b64.asText());
        } catch (IllegalArgumentException e) {
            throw new TransientFailure("OpenAI answered an image that is not valid base64");
        }
        byte[] png;
        try {
            png = ImageCodec.asPng(bytes);
        } catch (ImageRejectedException e) {
            throw new TransientFailure("OpenAI answered an unusable image: " + e.getMessage());
        }
        return new GeneratedImage(png, usage(node.path("usage")));
    }

    private static ImageUsage usage(JsonNode usage) {
        long input = usage.path("input_tokens").asLong(0);
        long output = usage.path("output_tokens").asLong(0);
        return new ImageUsage(input, output, usage.path("total_tokens").asLong(input + output));
    }

    @Override
    public void close() throws IOException {
        call.close();
    }
}
