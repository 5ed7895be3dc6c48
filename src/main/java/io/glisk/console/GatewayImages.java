package io.glisk.console;

import io.glisk.events.PipelineEvents;
import io.glisk.image.Image;
import io.glisk.image.ImageTypes;
import io.glisk.ipfs.IpfsGateway;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.event.Level;
import org.springframework.stereotype.Component;

/**
 * Pinned images, fetched from the IPFS gateway by the service for the console's thumbnails, so that the browser
 * only ever talks to the console. A CID names its bytes for good, so what was fetched is kept, up to a budget,
 * and a page full of thumbnails does not hit a rate-limited public gateway again at every look.
 */
@Component
class GatewayImages {

    /** What a CID looks like (CIDv1 base32, CIDv0 base58): nothing that could change the gateway URL's path. */
    private static final Pattern CID = Pattern.compile("[A-Za-z0-9]{16,128}");
    private static final int MAX_BYTES = 20 * 1024 * 1024;
    private static final long CACHE_BYTES = 32L * 1024 * 1024;

    private final IpfsGateway gateway;
    /**
     * OkHttp rather than the JDK's client, whose selector thread would wake every 3 s for as long as the service runs;
     * redirects followed within HTTPS or within HTTP, never from one to the other (no downgrade to plain HTTP).
     */
    private final OkHttpClient http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(5))
            .callTimeout(Duration.ofSeconds(15)).followRedirects(true).followSslRedirects(false).build();
    /** Least recently shown first. */
    private final LinkedHashMap<String, Image> cache = new LinkedHashMap<>(64, 0.75f, true);
    private long cachedBytes;

    GatewayImages(IpfsGateway gateway) {
        this.gateway = gateway;
    }

    /** The image pinned under this CID, or empty when the gateway does not give one (logged). */
    Optional<Image> image(String cid) {
        if (!CID.matcher(cid).matches()) {
            return Optional.empty();
        }
        synchronized (cache) {
            Image kept = cache.get(cid);
            if (kept != null) {
                return Optional.of(kept);
            }
        }
        try {
            Image image = fetch(cid);
            remember(cid, image);
            return Optional.of(image);
        } catch (IOException e) {
            unavailable(cid, e.toString());
        }
        return Optional.empty();
    }

    private Image fetch(String cid) throws IOException {
        Request request = new Request.Builder().url(gateway.url(cid)).header("Accept", "image/*").get().build();
        try (Response response = http.newCall(request).execute(); InputStream body = response.body().byteStream()) {
            if (response.code() != 200) {
                throw new IOException("the gateway answered HTTP " + response.code());
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            String type = ImageTypes.sniff(bytes);
            if (bytes.length > MAX_BYTES || type == null) {
                throw new IOException("the gateway's answer is not a PNG, WebP, JPEG or GIF image of at most "
                        + MAX_BYTES + " bytes");
            }
            return new Image(bytes, type);
        }
    }

    private void remember(String cid, Image image) {
        synchronized (cache) {
            if (cache.put(cid, image) == null) {
                cachedBytes += image.bytes().length;
            }
            Iterator<Map.Entry<String, Image>> oldest = cache.entrySet().iterator();
            while (cachedBytes > CACHE_BYTES && oldest.hasNext()) {
                cachedBytes -= oldest.next().getValue().bytes().length;
                oldest.remove();
            }
        }
    }

    private static void unavailable(String cid, String reason) {
        PipelineEvents.event(Level.WARN, "console.gateway_image_unavailable").addKeyValue("image_cid", cid)
                .addKeyValue("error", reason).log();
    }
}
