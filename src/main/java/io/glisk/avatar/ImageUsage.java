package io.glisk.avatar;

/** Tokens the image API billed for a call (its {@code usage}); summed per task to show what a data set cost. */
public record ImageUsage(long inputTokens, long outputTokens, long totalTokens) {

    public static final ImageUsage NONE = new ImageUsage(0, 0, 0);

    public ImageUsage plus(ImageUsage other) {
        return new ImageUsage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                totalTokens + other.totalTokens);
    }
}
