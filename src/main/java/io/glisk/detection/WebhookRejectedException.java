package io.glisk.detection;

/** A webhook delivery refused with an HTTP status and a reason the sender can read. */
public class WebhookRejectedException extends RuntimeException {

    private final int status;

    public WebhookRejectedException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int getStatus() {
        return status;
    }
}
