package io.glisk.support;

import io.glisk.image.Image;
import io.glisk.image.ImageGoneException;
import io.glisk.image.ImageRejectedException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.camel.Exchange;

/**
 * The image host in a route test, bound as {@code imageFetcher}: the downloads the test scripted fail in order
 * (gone, or not an image), then every download is a small WebP.
 */
public final class ScriptedImages {

    public static final Image WEBP = new Image(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'}, "image/webp");

    private final Deque<RuntimeException> failures = new ArrayDeque<>();

    public synchronized ScriptedImages gone(String message) {
        failures.add(new ImageGoneException(message));
        return this;
    }

    public synchronized ScriptedImages rejected(String message) {
        failures.add(new ImageRejectedException(message));
        return this;
    }

    /** As the real fetcher keeps an image for the statement that stores it. */
    public void fetchInto(String url, Exchange exchange) {
        Image image = fetch(url);
        exchange.setVariable("image_bytes", image.bytes());
        exchange.setVariable("image_type", image.contentType());
    }

    public synchronized Image fetch(String url) {
        if (!failures.isEmpty()) {
            throw failures.poll();
        }
        return WEBP;
    }
}
