package io.glisk.authors;

import org.springframework.http.HttpStatus;

/**
 * A request to the author API refused with a status and a reason the caller can act on. Reasons never
 * contain the signature or the prompt.
 */
class AuthorRequestRejected extends RuntimeException {

    private final HttpStatus status;

    AuthorRequestRejected(HttpStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    static AuthorRequestRejected badRequest(String reason) {
        return new AuthorRequestRejected(HttpStatus.BAD_REQUEST, reason);
    }

    HttpStatus status() {
        return status;
    }
}
