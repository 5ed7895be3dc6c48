package io.glisk.web;

import org.springframework.http.HttpStatus;

/** A request refused with a status and a reason the caller can act on; the reason never quotes the request. */
public class RequestRejected extends RuntimeException {

    private final HttpStatus status;

    public RequestRejected(HttpStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public static RequestRejected badRequest(String reason) {
        return new RequestRejected(HttpStatus.BAD_REQUEST, reason);
    }

    public HttpStatus status() {
        return status;
    }
}
