package io.glisk.image;

/** The image is no longer to be had: its URL answers 404/410 (provider outputs expire), or there is none. */
public class ImageGoneException extends RuntimeException {

    public ImageGoneException(String message) {
        super(message);
    }
}
