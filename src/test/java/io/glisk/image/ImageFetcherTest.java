package io.glisk.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.glisk.local.images.SimulatedImageRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Downloads from a real HTTP server that misbehaves: endless bodies, redirects, lies about the type. */
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
}
