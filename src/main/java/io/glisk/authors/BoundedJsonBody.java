package io.glisk.authors;

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
import org.springframework.stereotype.Component;

/**
 * A request body read as one JSON value, at most {@link #MAX_BYTES}: a larger body is refused by its
 * Content-Length before anything reads it, or after one byte past the limit when it is sent without one
 * (chunked). Strict about what is ambiguous — a field given twice, anything after the value — since the
 * caller signs the values it means.
 */
@Component
class BoundedJsonBody {

    /** Room for a prompt of 1000 emoji written as JSON escapes (12 bytes each) and the other fields. */
    static final int MAX_BYTES = 16 * 1024;

    private final ObjectReader reader = new ObjectMapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    JsonNode read(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BYTES) {
            throw tooLarge();
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            throw tooLarge();
        }
        if (body.length == 0) {
            throw AuthorRequestRejected.badRequest("body is empty: send a JSON object");
        }
        try {
            return reader.readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson's own message may quote the body (a piece of the prompt or the signature): say where only
            String problem = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "body has a field more than once" : "body is not valid JSON";
            JsonLocation at = e.getLocation();
            throw AuthorRequestRejected.badRequest(at == null ? problem
                    : problem + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
    }

    private static AuthorRequestRejected tooLarge() {
        return new AuthorRequestRejected(HttpStatus.PAYLOAD_TOO_LARGE, "body larger than " + MAX_BYTES + " bytes");
    }
}
