package io.glisk.image;

/** What the URL served is not an acceptable image: too large, or not an image format we know. */
public class ImageRejectedException extends RuntimeException {

    public ImageRejectedException(String message) {
        super(message);
    }
}
