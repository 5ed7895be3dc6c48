package io.glisk.avatar;

import io.glisk.provider.PermanentFailure;
import io.glisk.provider.TransientFailure;
import io.glisk.settings.ConditionalOnStage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.stereotype.Component;

/**
 * A persona's pictures in the bucket: each stored with its thumbnail (≤ 256 px, for galleries) under the keys of
 * {@link AvatarKeys}, and the base image read back, so that every grid is made from the very picture stored.
 */
@Component
@ConditionalOnStage("avatar")
public class PersonaPictures {

    private final AvatarStorage storage;
    private final Thumbnails thumbnails;

    public PersonaPictures(AvatarStorage storage, Thumbnails thumbnails) {
        this.storage = storage;
        this.thumbnails = thumbnails;
    }

    public StoredPicture storeBase(long taskKey, long personaKey, byte[] png) {
        return store(AvatarKeys.base(taskKey, personaKey), AvatarKeys.baseThumbnail(taskKey, personaKey), png);
    }

    /** Photo {@code n} (grid × 4 + tile) of the persona. */
    public StoredPicture storeTile(long taskKey, long personaKey, int n, byte[] png) {
        return store(AvatarKeys.image(taskKey, personaKey, n), AvatarKeys.imageThumbnail(taskKey, personaKey, n), png);
    }

    /** The stored base image's bytes; its absence fails the persona, since a new one would show another face. */
    public byte[] base(long taskKey, long personaKey) {
        String key = AvatarKeys.base(taskKey, personaKey);
        try (InputStream in = storage.open(key).orElseThrow(() -> new PermanentFailure(
                "the stored base image " + key + " is gone from the bucket"))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new TransientFailure(AvatarStorage.PROVIDER + " could not read " + key + ": " + e.getMessage());
        }
    }

    private StoredPicture store(String key, String thumbnailKey, byte[] png) {
        BufferedImage image = ImageCodec.decode(png);
        String url = storage.putPng(key, png);
        String thumbUrl = storage.putPng(thumbnailKey, thumbnails.thumbnail(image));
        return new StoredPicture(key, url, thumbUrl, image.getWidth(), image.getHeight());
    }
}
