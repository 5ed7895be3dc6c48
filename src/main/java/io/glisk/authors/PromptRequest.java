package io.glisk.authors;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code POST /api/authors/prompt}: {@code {"wallet", "prompt", "nonce", "expiresAt", "signature"}}, every field a
 * JSON string; other fields are ignored. {@link #from} checks presence, types and formats; the prompt rules, the
 * signature and the nonce's novelty are checked by the beans that own them.
 *
 * @param expiresAtText the expiry exactly as sent: it is part of the signed message
 */
record PromptRequest(WalletAddress wallet, String prompt, String nonce, String expiresAtText, Instant expiresAt,
                     String signature) {

    static final Duration MAX_VALIDITY = Duration.ofHours(24);
    private static final List<String> FIELDS = List.of("wallet", "prompt", "nonce", "expiresAt", "signature");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{8,128}");
    // UTC only, so the signed text and the instant cannot disagree about the zone; JavaScript's
    // Date.toISOString() and Java's Instant.toString() both produce it
    private static final Pattern UTC_INSTANT =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");

    static PromptRequest from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw AuthorRequestRejected.badRequest("body must be a JSON object with the fields " + String.join(", ", FIELDS));
        }
        List<String> missing = new ArrayList<>();
        for (String field : FIELDS) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull()) {
                missing.add(field);
            } else if (!value.isTextual()) {
                throw AuthorRequestRejected.badRequest("field '" + field + "' must be a string");
            }
        }
        if (!missing.isEmpty()) {
            throw AuthorRequestRejected.badRequest("missing field" + (missing.size() > 1 ? "s: " : ": ")
                    + String.join(", ", missing));
        }
        String nonce = body.get("nonce").textValue();
        if (!NONCE.matcher(nonce).matches()) {
            throw AuthorRequestRejected.badRequest("nonce must be 8 to 128 characters of A-Z, a-z, 0-9, '_' and '-'");
        }
        String expiresAt = body.get("expiresAt").textValue();
        return new PromptRequest(WalletAddress.parse(body.get("wallet").textValue()), body.get("prompt").textValue(),
                nonce, expiresAt, instant(expiresAt), body.get("signature").textValue());
    }

    /** The signed request is usable now and was not made to be usable for longer than {@link #MAX_VALIDITY}. */
    void checkValidity(Instant now) {
        if (!expiresAt.isAfter(now)) {
            throw AuthorRequestRejected.badRequest("expiresAt has passed: sign a new message with a later expiry");
        }
        if (expiresAt.isAfter(now.plus(MAX_VALIDITY))) {
            throw AuthorRequestRejected.badRequest("expiresAt must be at most 24 hours ahead");
        }
    }

    private static Instant instant(String text) {
        if (UTC_INSTANT.matcher(text).matches()) {
            try {
                return Instant.parse(text);
            } catch (DateTimeException e) {
                // well-formed but no such time (month 13, …): refused below like any other bad text
            }
        }
        throw AuthorRequestRejected.badRequest(
                "expiresAt must be an ISO-8601 UTC instant such as 2030-01-31T12:00:00Z or 2030-01-31T12:00:00.000Z");
    }

    /** Neither the prompt nor the signature belongs in a log line. */
    @Override
    public String toString() {
        return "PromptRequest[wallet=" + wallet + ", nonce=" + nonce + ", expiresAt=" + expiresAtText + "]";
    }
}
