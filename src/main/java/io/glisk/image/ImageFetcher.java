package io.glisk.image;

import io.glisk.provider.PermanentFailure;
import io.glisk.provider.ProviderMetrics;
import io.glisk.provider.TransientFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Downloads an image from an allowed host: only https (http where allowed), no redirects, a size cap
 * enforced while reading, and the type decided from the bytes.
 */
@Component
public class ImageFetcher {

    private final ImageSettings settings;
    private final HttpClient http;

    ImageFetcher(ImageSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(Math.min(10, settings.timeoutSeconds())))
                .build();
    }

    public Image fetch(String url) {
        URI uri = checked(url);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(settings.timeoutSeconds()))
                .header("Accept", "image/*").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = ProviderMetrics.<HttpResponse<InputStream>, IOException, InterruptedException>timed("image_host",
                    () -> http.send(request, HttpResponse.BodyHandlers.ofInputStream()), HttpResponse::statusCode);
        } catch (IOException e) {
            throw new TransientFailure("image download from " + uri.getHost() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("image download interrupted");
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 404 || status == 410) {
                throw new ImageGoneException("image at " + uri.getHost() + uri.getPath() + " is gone (HTTP " + status + ")");
            }
            if (status == 429 || status >= 500) {
                throw new TransientFailure("image host " + uri.getHost() + " answered HTTP " + status);
            }
            if (status != 200) {
                throw new ImageRejectedException("image host " + uri.getHost() + " answered HTTP " + status);
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > settings.maxBytes()) {
                throw new ImageRejectedException("image is " + declared + " bytes, the limit is " + settings.maxBytes());
            }
            byte[] bytes = body.readNBytes(settings.maxBytes() + 1);
            if (bytes.length > settings.maxBytes()) {
                throw new ImageRejectedException("image is larger than the limit of " + settings.maxBytes() + " bytes");
            }
            String type = ImageTypes.sniff(bytes);
            if (type == null) {
                throw new ImageRejectedException("download is not a PNG, WebP, JPEG or GIF image ("
                        + bytes.length + " bytes starting " + ImageTypes.preview(bytes) + ")");
            }
            return new Image(bytes, type);
        } catch (IOException e) {
            throw new TransientFailure("image download from " + uri.getHost() + " broke off: " + e);
        }
    }

    private URI checked(String url) {
        URI uri;
        try {
            uri = url == null ? null : new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new ImageRejectedException("not a usable image URL: " + abbreviate(url));
        }
        if (settings.trusts(uri)) {
            return uri;
        }
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        if (!secure && !(settings.allowHttp() && "http".equalsIgnoreCase(uri.getScheme()))) {
            throw new ImageRejectedException("image URL must use https: " + abbreviate(url));
        }
        if (!settings.allows(uri.getHost())) {
            throw new PermanentFailure("image host " + uri.getHost()
                    + " is not in IMAGE_DOWNLOAD_ALLOWED_HOSTS " + settings.allowedHosts());
        }
        return uri;
    }

    private static String abbreviate(String url) {
        if (url == null) {
            return "(none)";
        }
        return url.length() <= 200 ? url : url.substring(0, 200) + "…";
    }
}
