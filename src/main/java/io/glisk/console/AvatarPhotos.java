package io.glisk.console;

import io.glisk.avatar.AvatarKeys;
import io.glisk.avatar.AvatarStorage;
import io.glisk.avatar.StageHalted;
import io.glisk.events.PipelineEvents;
import io.glisk.provider.PermanentFailure;
import io.glisk.provider.TransientFailure;
import io.glisk.settings.ConditionalOnStage;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.event.Level;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * A persona's photos and thumbnails for the console's pages, read from the bucket by the service: the pages'
 * Content-Security-Policy takes images from the console only, and the bucket need not be reachable from the
 * reader's browser at all (a MinIO on a private network). Bounded: a few reads at once, so that a page full of
 * thumbnails never takes the S3 connections the pipeline's uploads share, and no object past {@link #MAX_BYTES}.
 */
@Component
@ConditionalOnStage("avatar")
class AvatarPhotos {

    /** Far above a photo or grid tile of the image API (a few MB at most). */
    static final int MAX_BYTES = 20 * 1024 * 1024;
    private static final int READERS = 8;
    private static final long WAIT_SECONDS = 10;
    /**
     * A stored photo never changes (nothing stored is made again, and a task's public id is random, so a URL never
     * names another task's photo): the browser keeps it and asks no more.
     */
    private static final CacheControl CACHE = CacheControl.maxAge(Duration.ofDays(1)).cachePrivate().immutable();
    private static final Pattern PHOTO = Pattern.compile("(image|thumb)_(\\d{1,2})\\.png");

    private final AvatarStorage storage;
    private final Semaphore readers = new Semaphore(READERS);

    AvatarPhotos(AvatarStorage storage) {
        this.storage = storage;
    }

    /**
     * The bucket key of a persona's file as the pages name it — {@code base.png}, {@code thumb_base.png},
     * {@code image_{n}.png}, {@code thumb_{n}.png} — or empty when the name is none of these or n is past the task's
     * photos. Only keys of the task's own folder: a persona of another task has no object there.
     */
    static Optional<String> key(long taskKey, long personaKey, String file, int photosPerPersona) {
        if (file.equals("base.png")) {
            return Optional.of(AvatarKeys.base(taskKey, personaKey));
        }
        if (file.equals("thumb_base.png")) {
            return Optional.of(AvatarKeys.baseThumbnail(taskKey, personaKey));
        }
        Matcher photo = PHOTO.matcher(file);
        if (!photo.matches() || Integer.parseInt(photo.group(2)) >= photosPerPersona) {
            return Optional.empty();
        }
        int n = Integer.parseInt(photo.group(2));
        return Optional.of(photo.group(1).equals("image") ? AvatarKeys.image(taskKey, personaKey, n)
                : AvatarKeys.imageThumbnail(taskKey, personaKey, n));
    }

    /**
     * Streams the object as the answer: 200 with the PNG, 404 when the bucket has no such object, 503 when too many
     * reads are waiting already, 502 when the bucket fails (logged, without its credentials).
     */
    void send(String key, HttpServletResponse response) throws IOException {
        try {
            if (!readers.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
            return;
        }
        try {
            Optional<InputStream> object = storage.open(key);
            if (object.isEmpty()) {
                response.setStatus(HttpStatus.NOT_FOUND.value());
                return;
            }
            try (InputStream in = object.get()) {
                response.setContentType(MediaType.IMAGE_PNG_VALUE);
                response.setHeader("Cache-Control", CACHE.getHeaderValue());
                copy(in, response.getOutputStream(), key);
            }
        } catch (TransientFailure | PermanentFailure | StageHalted e) {
            PipelineEvents.event(Level.WARN, "console.avatar_photo_unavailable").addKeyValue("key", key)
                    .addKeyValue("error", e.getMessage()).log();
            response.setStatus(HttpStatus.BAD_GATEWAY.value());
        } finally {
            readers.release();
        }
    }

    private static void copy(InputStream in, OutputStream out, String key) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long sent = 0;
        for (int read; (read = in.read(buffer)) > 0; ) {
            sent += read;
            if (sent > MAX_BYTES) {
                // the answer has begun: breaking it off is all that is left, and the image shows as unavailable
                throw new IOException(key + " is larger than " + MAX_BYTES + " bytes");
            }
            out.write(buffer, 0, read);
        }
    }
}
