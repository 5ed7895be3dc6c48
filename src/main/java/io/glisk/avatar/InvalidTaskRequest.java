package io.glisk.avatar;

import io.glisk.web.RequestRejected;
import org.springframework.http.HttpStatus;

/** A task request refused with 400, naming the field that is wrong (null when it is the body as a whole). */
public class InvalidTaskRequest extends RequestRejected {

    private final String field;

    public InvalidTaskRequest(String field, String reason) {
        super(HttpStatus.BAD_REQUEST, reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
