package io.glisk.image;

/** Image bytes with the content type read from the bytes themselves. */
public record Image(byte[] bytes, String contentType) {

    public String extension() {
        return ImageTypes.extension(contentType);
    }
}
