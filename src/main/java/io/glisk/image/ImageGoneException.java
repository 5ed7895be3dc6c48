package io.glisk.image;

/** The image URL no longer serves the image (404/410): provider outputs expire. */
public class ImageGoneException extends RuntimeException {

    public ImageGoneException(String message) {
        super(message);
    }
}
