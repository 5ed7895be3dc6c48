package io.glisk.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.glisk.local.images.SimulatedImageRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Downloads from a real HTTP server that misbehaves: endless bodies, redirects, lies about the type; and images
 * that come inline as data URIs, well-formed or not.
 */
class ImageFetcherTest {

    private static final int LIMIT = 64 * 1024;
    private final byte[] png = new SimulatedImageRenderer().png("a red fox", 32);
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private ImageFetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fox.png", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.sendResponseHeaders(200, png.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(png);
            }
        });
        server.createContext("/endless.png", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no length declared
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(png, 0, 16);
                byte[] more = new byte[8192];
                while (true) {
                    out.write(more);
                }
            } catch (IOException clientWentAway) {
                // what should happen
            }
        });
        server.createContext("/moved.png", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/fox.png");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        fetcher = new ImageFetcher(new ImageSettings(List.of("127.0.0.1"), List.of(), true, LIMIT, 5));
    }

    @AfterEach
    void stop() throws Exception {
        fetcher.close();
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void imagesComeWithTheirTypeOverOneKeptConnection() {
        for (int i = 0; i < 3; i++) {
            Image image = fetcher.fetch(url("/fox.png"));
            assertThat(image.bytes()).isEqualTo(png);
            assertThat(image.contentType()).isEqualTo("image/png");
        }
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anEndlessBodyIsCutOffAtTheLimit() {
        assertThatThrownBy(() -> fetcher.fetch(url("/endless.png")))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessage("image is larger than the limit of " + LIMIT + " bytes");
        // and the next download is not stuck behind it
        assertThat(fetcher.fetch(url("/fox.png")).bytes()).isEqualTo(png);
    }

    @Test
    void aRedirectIsNotFollowed() {
        assertThatThrownBy(() -> fetcher.fetch(url("/moved.png")))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageContaining("answered HTTP 302");
        assertThat(clientPorts).isEmpty();
    }

    @Test
    void anImageInlineAsADataUriIsDecodedWithoutARequest() {
        String uri = "DATA:image/webp;base64," + Base64.getEncoder().encodeToString(png);

        Image image = fetcher.fetch(uri);

        assertThat(image.bytes()).isEqualTo(png);
        // what the bytes are, not what the URI says
        assertThat(image.contentType()).isEqualTo("image/png");
        assertThat(clientPorts).isEmpty();
    }

    @Test
    void anInlineImageThatIsMalformedHostileOrTooLargeIsRejectedWithoutItsData() {
        String html = Base64.getEncoder().encodeToString("<script>alert(1)</script>".getBytes());
        assertThatThrownBy(() -> fetcher.fetch("data:image/webp;base64," + html))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessage("inline image is not a PNG, WebP, JPEG or GIF image (25 bytes starting 3c7363726970743e)");
        assertThatThrownBy(() -> fetcher.fetch("data:image/png," + new String(png, 0, 8, StandardCharsets.ISO_8859_1)))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessage("inline image is not base64 (data:image/png)");
        assertThatThrownBy(() -> fetcher.fetch("data:image/png;base64,iVBOR%%%not base64"))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessage("inline image is not valid base64 (18 characters)");
        assertThatThrownBy(() -> fetcher.fetch("data:" + "x".repeat(300)))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessage("inline image is not a data URI (305 characters, no header)");
        assertThatThrownBy(() -> fetcher.fetch("data:image/png;base64,"))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageStartingWith("inline image is not a PNG, WebP, JPEG or GIF image (0 bytes");
        // over the limit: refused from its length, before anything is decoded (the tail is not even base64)
        String huge = "data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "A".repeat(LIMIT * 2) + "!";
        assertThatThrownBy(() -> fetcher.fetch(huge))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessageMatching("inline image is about \\d+ bytes, the limit is " + LIMIT);
        String justOver = "data:image/png;base64," + Base64.getEncoder().encodeToString(
                Arrays.copyOf(png, LIMIT + 1));
        assertThatThrownBy(() -> fetcher.fetch(justOver))
                .isInstanceOf(ImageRejectedException.class)
                .hasMessage("inline image is " + (LIMIT + 1) + " bytes, the limit is " + LIMIT);
        assertThat(clientPorts).isEmpty();
    }
}
