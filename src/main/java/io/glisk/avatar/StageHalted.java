package io.glisk.avatar;

/**
 * A provider refuses this service as a whole — a wrong or revoked key, no quota or billing left, a model or
 * flow that does not exist — so every further call would fail the same way. The avatar stage stops calling it
 * instead of failing image after image (and billing attempts); it says so in health and in the task's log.
 * Neither a transient nor a permanent failure of one image.
 */
public class StageHalted extends RuntimeException {

    private final String provider;

    public StageHalted(String provider, String message) {
        super(message);
        this.provider = provider;
    }

    /** Which provider stopped: "OpenAI", "Flowise" or "S3". */
    public String provider() {
        return provider;
    }
}
