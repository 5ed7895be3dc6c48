package io.glisk.authors;

import com.fasterxml.jackson.databind.JsonNode;
import io.glisk.web.JsonBodies;
import io.glisk.web.RequestRejected;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.stereotype.Component;

/**
 * A request body read as one JSON value, at most {@link #MAX_BYTES}, strict about what is ambiguous (a field given
 * twice, anything after the value) since the caller signs the values it means. See {@link JsonBodies}.
 */
@Component
class BoundedJsonBody {

    /** Room for a prompt of 1000 emoji written as JSON escapes (12 bytes each) and the other fields. */
    static final int MAX_BYTES = 16 * 1024;

    JsonNode read(HttpServletRequest request) throws IOException {
        try {
            return JsonBodies.read(request, MAX_BYTES);
        } catch (RequestRejected e) {
            throw new AuthorRequestRejected(e.status(), e.getMessage());
        }
    }
}
