package io.glisk.console;

import org.springframework.http.HttpStatus;

/**
 * A request the console answers with its error page: the status and a message for the reader, written by us —
 * the request's own values are never echoed back.
 */
class PageProblem extends RuntimeException {

    private final HttpStatus status;

    private PageProblem(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    static PageProblem badRequest(String message) {
        return new PageProblem(HttpStatus.BAD_REQUEST, message);
    }

    static PageProblem notFound(String message) {
        return new PageProblem(HttpStatus.NOT_FOUND, message);
    }

    HttpStatus status() {
        return status;
    }
}
