package io.glisk.avatar;

/** A picture in the bucket: its key, its public URL and its thumbnail's, and its size in pixels. */
public record StoredPicture(String key, String url, String thumbUrl, int width, int height) {
}
