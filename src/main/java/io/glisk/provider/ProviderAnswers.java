package io.glisk.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * Reads provider HTTP answers defensively (bounded size, any body shape) and sorts failures into transient
 * and permanent ones, the same way for every provider.
 */
public final class ProviderAnswers {

    /** Provider answers we act on are small JSON documents; anything bigger is not one of them. */
    public static final int MAX_ANSWER_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AVAILABLE_IN = Pattern.compile("available in (\\d{1,5}) seconds?", Pattern.CASE_INSENSITIVE);
    private static final int MAX_DETAIL_CHARS = 300;

    private ProviderAnswers() {
    }

    /** The answer body as text, at most {@link #MAX_ANSWER_BYTES}; a longer answer is a transient failure. */
    public static String body(String provider, Exchange exchange) {
        return body(provider, exchange, MAX_ANSWER_BYTES);
    }

    /** The answer body as text, at most {@code maxBytes}; a longer answer is a transient failure. */
    public static String body(String provider, Exchange exchange, int maxBytes) {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return "";
        }
        if (body instanceof String s) {
            return s;
        }
        try (InputStream in = exchange.getContext().getTypeConverter().mandatoryConvertTo(InputStream.class, exchange, body)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new TransientFailure(provider + " answered more than " + maxBytes + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TransientFailure(provider + " answer could not be read: " + e.getMessage());
        } catch (org.apache.camel.NoTypeConversionAvailableException e) {
            throw new IllegalStateException("unexpected answer body type " + body.getClass().getName(), e);
        }
    }

    public static int status(Exchange exchange) {
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return code == null ? 0 : code;
    }

    /** The exception for a non-2xx answer: 408, 429 and 5xx are transient, other statuses permanent. */
    public static RuntimeException failure(String provider, int status, String body, String retryAfterHeader) {
        String message = provider + " answered HTTP " + status + detail(body);
        if (status == 429) {
            return new TransientFailure(message, retryAfter(retryAfterHeader, body));
        }
        if (status == 408 || status >= 500) {
            return new TransientFailure(message, retryAfter(retryAfterHeader, body));
        }
        return new PermanentFailure(message);
    }

    public static JsonNode json(String provider, String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new TransientFailure(provider + " answered something other than a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new TransientFailure(provider + " answered malformed JSON");
        }
    }

    /** Providers put the human-readable reason in one of these fields (problem+json, or their own). */
    private static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body;
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject()) {
                for (String field : new String[] {"detail", "error", "message", "title"}) {
                    JsonNode value = node.get(field);
                    if (value != null && !value.isNull()) {
                        text = value.isTextual() ? value.asText() : nested(value);
                        break;
                    }
                }
            }
        } catch (IOException notJson) {
            // keep the raw text
        }
        return ": " + shorten(text);
    }

    /** An error object such as Pinata's {"reason": …, "details": …}: its most readable part. */
    private static String nested(JsonNode value) {
        for (String field : new String[] {"details", "message", "reason"}) {
            JsonNode part = value.get(field);
            if (part != null && part.isTextual()) {
                return part.asText();
            }
        }
        return value.toString();
    }

    /** One line, bounded: provider text ends up in error columns and log fields. */
    public static String shorten(String text) {
        String oneLine = text.replaceAll("[\\p{Cntrl}&&[^\\t]]+", " ").strip();
        return oneLine.length() <= MAX_DETAIL_CHARS ? oneLine : oneLine.substring(0, MAX_DETAIL_CHARS) + "…";
    }

    static Duration retryAfter(String header, String body) {
        if (header != null && !header.isBlank()) {
            String value = header.strip();
            if (value.matches("\\d{1,6}")) {
                return Duration.ofSeconds(Long.parseLong(value));
            }
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException notADate) {
                // fall through to the body
            }
        }
        if (body != null) {
            Matcher m = AVAILABLE_IN.matcher(body);
            if (m.find()) {
                return Duration.ofSeconds(Long.parseLong(m.group(1)));
            }
        }
        return null;
    }
}
