package io.glisk.avatar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.provider.PermanentFailure;
import io.glisk.provider.ProviderAnswers;
import io.glisk.provider.TransientFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sorts the image API's error answers ({@code {"error": {"message", "type", "param", "code"}}}) by what the
 * stage should do about them:
 * <ul>
 * <li>moderation refused the prompt or picture (400 {@code moderation_blocked} or
 * {@code content_policy_violation}) → {@link ContentRefused}: not sent again as it is;</li>
 * <li>the account cannot be used (401, 403, 404 — wrong key, unverified organisation, unknown model or base
 * URL — or a quota or billing code such as 429 {@code insufficient_quota}) → {@link StageHalted};</li>
 * <li>throttling (429 {@code rate_limit_exceeded}), 408 and 5xx → {@link TransientFailure}, with the wait the
 * API asked for from {@code retry-after-ms}, {@code retry-after} or "try again in 1.5s" in the message;</li>
 * <li>any other 4xx → {@link PermanentFailure} with the API's message.</li>
 * </ul>
 */
final class OpenAiErrors {

    static final String PROVIDER = "OpenAI";
    private static final Set<String> REFUSED = Set.of("moderation_blocked", "content_policy_violation");
    private static final Set<String> HALTING = Set.of("insufficient_quota", "billing_hard_limit_reached",
            "billing_not_active", "invalid_api_key", "account_deactivated");
    private static final Pattern TRY_AGAIN = Pattern.compile("try again in (\\d{1,6}(?:\\.\\d{1,3})?)(ms|s)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiErrors() {
    }

    /** The failure for a non-2xx answer; {@code scrub} takes credentials out of the API's words. */
    static RuntimeException classify(ProviderCall.Answer answer, UnaryOperator<String> scrub) {
        int status = answer.status();
        JsonNode error = error(answer.body());
        String code = text(error, "code");
        String type = text(error, "type");
        String message = text(error, "message");
        String said = scrub.apply(PROVIDER + " answered HTTP " + status
                + (code == null ? "" : " " + code) + (message == null ? "" : ": " + ProviderAnswers.shorten(message)));
        if (status == 400 && (in(REFUSED, code) || in(REFUSED, type))) {
            return new ContentRefused(said);
        }
        if (status == 401 || status == 403 || status == 404 || in(HALTING, code) || in(HALTING, type)) {
            return new StageHalted(PROVIDER, said);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new TransientFailure(said, retryAfter(answer, message));
        }
        return new PermanentFailure(said);
    }

    private static Duration retryAfter(ProviderCall.Answer answer, String message) {
        if (answer.retryAfterMs() != null && answer.retryAfterMs().strip().matches("\\d{1,9}(\\.\\d+)?")) {
            return Duration.ofMillis((long) Double.parseDouble(answer.retryAfterMs().strip()));
        }
        // seconds or an HTTP date, read as every provider's Retry-After is
        if (answer.retryAfter() != null && ProviderAnswers.failure(PROVIDER, 429, null, answer.retryAfter())
                instanceof TransientFailure t && t.retryAfter() != null) {
            return t.retryAfter();
        }
        if (message != null) {
            Matcher m = TRY_AGAIN.matcher(message);
            if (m.find()) {
                double amount = Double.parseDouble(m.group(1));
                return Duration.ofMillis((long) Math.ceil(m.group(2).equalsIgnoreCase("ms") ? amount : amount * 1000));
            }
        }
        return null;
    }

    private static boolean in(Set<String> codes, String code) {
        return code != null && codes.contains(code);
    }

    private static JsonNode error(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : JSON.readTree(body);
            JsonNode error = node == null ? null : node.get("error");
            return error != null && error.isObject() ? error : JSON.createObjectNode();
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
