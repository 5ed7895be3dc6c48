package io.glisk.generation;

import com.fasterxml.jackson.databind.JsonNode;
import io.glisk.image.InlineImages;
import io.glisk.provider.PermanentFailure;
import io.glisk.provider.Origins;
import io.glisk.provider.ProviderAnswers;
import io.glisk.provider.TransientFailure;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Builds prediction requests and reads Replicate's answers: a prediction, or the right kind of failure.
 * Everything in an answer is checked before it is used — ids, statuses, and the polling URL, which must stay
 * on Replicate's origin (the bearer token goes there).
 */
@Component("replicatePredictions")
public class ReplicatePredictions {

    static final String PROVIDER = "Replicate";
    /**
     * A synchronous answer carries an output under 5 MB inline, base64 (a third larger than the file): room for
     * that, where other answers are small JSON documents.
     */
    static final int MAX_ANSWER_BYTES = 8 << 20;
    private static final Set<String> STATUSES = Set.of("starting", "processing", "succeeded", "failed", "canceled", "aborted");
    private static final Pattern PREDICTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final ReplicateSettings settings;
    private final URI origin;
    private final List<Pattern> contentPolicy;

    ReplicatePredictions(ReplicateSettings settings) {
        this.settings = settings;
        this.origin = URI.create(settings.baseUrl());
        this.contentPolicy = (settings.contentPolicyPatterns() == null ? List.<String>of() : settings.contentPolicyPatterns())
                .stream().map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)).toList();
    }

    /** The request body: the prompt goes as the only input, unchanged. */
    public Map<String, Object> request(String prompt) {
        return Map.of("input", Map.of("prompt", prompt));
    }

    /**
     * A 2xx answer holding a prediction (and the variable prediction_running, whether it is still starting or
     * processing); anything else throws a transient or permanent failure.
     */
    public Prediction read(Exchange exchange) {
        int status = ProviderAnswers.status(exchange);
        String body = ProviderAnswers.body(PROVIDER, exchange, MAX_ANSWER_BYTES);
        if (status < 200 || status > 299) {
            throw ProviderAnswers.failure(PROVIDER, status, body, exchange.getMessage().getHeader("Retry-After", String.class));
        }
        Prediction prediction = parse(ProviderAnswers.json(PROVIDER, body));
        checkRunningTime(prediction, exchange);
        // the poll loop's condition: a plain variable, where ${body.running} would copy the exchange per token
        exchange.setVariable("prediction_running", prediction.isRunning());
        return prediction;
    }

    /**
     * Acts on a finished prediction: a success gives the stage its output (variable output: a URL, or the image
     * inline as a data URI, as synchronous answers carry small files) and image_url, a content-policy refusal is
     * noted for the fallback route, any other end is a permanent failure with Replicate's own message.
     */
    public void accept(Prediction prediction, Exchange exchange) {
        exchange.setVariable("prediction_id", prediction.id());
        exchange.removeVariable("content_policy_refusal");
        switch (prediction.status()) {
            case "succeeded" -> {
                if (prediction.output().isEmpty()) {
                    throw new TransientFailure("Replicate prediction " + prediction.id() + " succeeded without an output");
                }
                String output = prediction.output().get(0);
                exchange.setVariable("output", output);
                // an image that came inline is kept as bytes; a data URI is no address worth noting
                exchange.setVariable("image_url", InlineImages.isInline(output) ? null : output);
            }
            case "failed" -> {
                String error = prediction.error() == null ? "no reason given" : ProviderAnswers.shorten(prediction.error());
                if (contentPolicy.stream().anyMatch(p -> p.matcher(error).find())) {
                    exchange.setVariable("content_policy_refusal", error);
                } else {
                    throw new PermanentFailure("Replicate prediction " + prediction.id() + " failed: " + error);
                }
            }
            case "canceled", "aborted" -> throw new PermanentFailure(
                    "Replicate prediction " + prediction.id() + " was " + prediction.status());
            default -> throw new TransientFailure(
                    "Replicate prediction " + prediction.id() + " is still " + prediction.status());
        }
    }

    private Prediction parse(JsonNode node) {
        String id = text(node, "id");
        if (id == null || !PREDICTION_ID.matcher(id).matches()) {
            throw new TransientFailure("Replicate answered a prediction without a valid id");
        }
        String status = text(node, "status");
        if (status == null || !STATUSES.contains(status)) {
            throw new TransientFailure("Replicate prediction " + id + " has an unknown status");
        }
        List<String> output = new ArrayList<>();
        JsonNode out = node.get("output");
        if (out != null && out.isTextual()) {
            output.add(out.asText());
        } else if (out != null && out.isArray()) {
            out.forEach(o -> {
                if (o.isTextual()) {
                    output.add(o.asText());
                }
            });
        }
        JsonNode urls = node.get("urls");
        return new Prediction(id, status, List.copyOf(output), text(node, "error"),
                pollUrl(id, urls != null && urls.isObject() ? text(urls, "get") : null));
    }

    /**
     * urls.get when it is on the API's own origin; otherwise the same prediction on our configured origin.
     * The bearer token goes with every poll, so a poll never leaves REPLICATE_BASE_URL, whatever the answer
     * says (a proxy, a fake or a hostile answer may name another host).
     */
    private String pollUrl(String id, String get) {
        if (get != null) {
            try {
                URI uri = URI.create(get);
                if (Origins.same(origin, uri)) {
                    return get;
                }
            } catch (IllegalArgumentException notAUri) {
                // fall back to our own origin
            }
        }
        return settings.baseUrl().replaceAll("/+$", "") + "/v1/predictions/" + id;
    }

    private void checkRunningTime(Prediction prediction, Exchange exchange) {
        if (!prediction.isRunning()) {
            return;
        }
        if (!prediction.id().equals(exchange.getVariable("polling_id"))) {
            exchange.setVariable("polling_id", prediction.id());
            exchange.setVariable("polling_since", System.nanoTime());
            return;
        }
        long since = exchange.getVariable("polling_since", Long.class);
        Duration running = Duration.ofNanos(System.nanoTime() - since);
        if (running.toSeconds() >= settings.maxRunSeconds()) {
            throw new TransientFailure("Replicate prediction " + prediction.id() + " still "
                    + prediction.status() + " after " + running.toSeconds() + " s");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
