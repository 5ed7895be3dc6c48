package io.glisk.avatar;

/** An image the image API made, as PNG bytes whatever it sent, with what it billed for it. */
public record GeneratedImage(byte[] png, ImageUsage usage) {
}
