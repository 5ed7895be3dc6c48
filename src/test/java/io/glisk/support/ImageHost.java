package io.glisk.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A plain HTTP server on all loopback addresses serving fixed bodies by path, counting every request. */
public final class ImageHost implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    public ImageHost() {
        try {
            server = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = bodies.get(exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    /** The URL of {@code path} on {@code host} (any 127.x.y.z reaches this server). */
    public String serve(String host, String path, byte[] body) {
        bodies.put(path, body);
        return url(host, path);
    }

    public String url(String host, String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    public int requests() {
        return requests.get();
    }

    public void reset() {
        bodies.clear();
        requests.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
