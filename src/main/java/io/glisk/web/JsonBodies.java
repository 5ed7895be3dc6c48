package io.glisk.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.HttpStatus;

/**
 * A request body read as one JSON value of at most {@code maxBytes}: a larger body is refused by its Content-Length
 * before anything reads it, or one byte past the limit when it comes without one (chunked). Strict about what is
 * ambiguous — a field given twice, anything after the value. Refusals are {@link RequestRejected} (400, 413) that
 * say where the body is wrong, never what it says.
 */
public final class JsonBodies {

    private static final ObjectReader READER = new ObjectMapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    public static JsonNode read(HttpServletRequest request, int maxBytes) throws IOException {
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        if (body.length == 0) {
            throw RequestRejected.badRequest("body is empty: send a JSON object");
        }
        try {
            return READER.readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson's own message may quote the body: say where only
            String problem = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "body has a field more than once" : "body is not valid JSON";
            JsonLocation at = e.getLocation();
            throw RequestRejected.badRequest(at == null ? problem
                    : problem + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
    }

    private static RequestRejected tooLarge(int maxBytes) {
        return new RequestRejected(HttpStatus.PAYLOAD_TOO_LARGE, "body larger than " + maxBytes + " bytes");
    }
}
