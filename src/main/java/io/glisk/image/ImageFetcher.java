package io.glisk.image;

import io.glisk.provider.PermanentFailure;
import io.glisk.provider.ProviderMetrics;
import io.glisk.provider.TransientFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.camel.Exchange;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;

/**
 * Gets an image: decoded from a {@code data:} URI (see {@link InlineImages}), or downloaded from an allowed host:
 * only https (http where allowed), no redirects, a size cap enforced while reading, and the type decided from the
 * bytes. A blocking client with pooled connections: the stages call it from their own worker threads, and the
 * JDK's client spent more on handing each download between its threads than on the download.
 */
@Component
public class ImageFetcher implements AutoCloseable {

    private final ImageSettings settings;
    private final CloseableHttpClient http;

    ImageFetcher(ImageSettings settings) {
        this.settings = settings;
        Timeout timeout = Timeout.ofSeconds(settings.timeoutSeconds());
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(200).setMaxConnPerRoute(100)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(Math.min(10, settings.timeoutSeconds())))
                                .setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                // the size cap counts the bytes on the wire; a redirect could lead off the allowed hosts
                .disableContentCompression()
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /**
     * {@link #fetch} for a route that stores the image: its bytes and type become the variables image_bytes and
     * image_type, which a statement names directly (an expression calling the record's accessors, per parameter
     * and per token, cost more than the statement's other parameters together).
     */
    public void fetchInto(String url, Exchange exchange) {
        Image image = fetch(url);
        exchange.setVariable("image_bytes", image.bytes());
        exchange.setVariable("image_type", image.contentType());
    }

    public Image fetch(String url) {
        if (url == null) {
            throw new ImageGoneException("no image kept and no URL to download it from");
        }
        if (InlineImages.isInline(url)) {
            return InlineImages.decode(url, settings.maxBytes());
        }
        URI uri = checked(url);
        HttpGet request = new HttpGet(uri);
        request.setHeader("Accept", "image/*");
        ClassicHttpResponse response;
        try {
            response = ProviderMetrics.<ClassicHttpResponse, IOException, RuntimeException>timed("image_host",
                    () -> http.executeOpen(null, request, null), ClassicHttpResponse::getCode);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new TransientFailure("image download interrupted");
            }
            throw new TransientFailure("image download from " + uri.getHost() + " failed: " + e);
        }
        try {
            Image image = read(uri, response);
            response.close();
            return image;
        } catch (RuntimeException e) {
            abandon(request, response);
            throw e;
        } catch (IOException e) {
            abandon(request, response);
            throw new TransientFailure("image download from " + uri.getHost() + " broke off: " + e);
        }
    }

    /**
     * Closing a response reads the rest of its body, to keep the connection: a body over the limit (or endless)
     * must not be read further, so the connection is cancelled first and dropped.
     */
    private static void abandon(HttpGet request, ClassicHttpResponse response) {
        request.cancel();
        try {
            response.close();
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }

    private Image read(URI uri, ClassicHttpResponse response) throws IOException {
        int status = response.getCode();
        if (status == 404 || status == 410) {
            throw new ImageGoneException("image at " + uri.getHost() + uri.getPath() + " is gone (HTTP " + status + ")");
        }
        if (status == 429 || status >= 500) {
            throw new TransientFailure("image host " + uri.getHost() + " answered HTTP " + status);
        }
        if (status != 200) {
            throw new ImageRejectedException("image host " + uri.getHost() + " answered HTTP " + status);
        }
        long declared = declaredLength(response.getFirstHeader("Content-Length"));
        if (declared > settings.maxBytes()) {
            throw new ImageRejectedException("image is " + declared + " bytes, the limit is " + settings.maxBytes());
        }
        byte[] bytes = content(response.getEntity()).readNBytes(settings.maxBytes() + 1);
        if (bytes.length > settings.maxBytes()) {
            throw new ImageRejectedException("image is larger than the limit of " + settings.maxBytes() + " bytes");
        }
        EntityUtils.consume(response.getEntity());
        String type = ImageTypes.sniff(bytes);
        if (type == null) {
            throw new ImageRejectedException("download is not a PNG, WebP, JPEG or GIF image ("
                    + bytes.length + " bytes starting " + ImageTypes.preview(bytes) + ")");
        }
        return new Image(bytes, type);
    }

    private static InputStream content(HttpEntity entity) throws IOException {
        return entity == null ? InputStream.nullInputStream() : entity.getContent();
    }

    private static long declaredLength(Header header) {
        try {
            return header == null ? -1 : Long.parseLong(header.getValue().strip());
        } catch (NumberFormatException e) {
            return -1;
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
