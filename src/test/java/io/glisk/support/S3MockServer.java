package io.glisk.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server for tests: Adobe's S3Mock, its executable jar (copied into target/s3mock by the build) run
 * as a process of its own — in the test JVM it would clash with our Spring Boot and Camel. One per test JVM,
 * started on first use on free ports, its store in a temporary directory, stopped when the JVM exits.
 * It accepts any credentials; path-style requests and anonymous GETs work.
 */
public final class S3MockServer {

    private static S3MockServer shared;

    private final Process process;
    private final int port;
    private final Path log;

    private S3MockServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The server of this test JVM, started and ready. */
    public static synchronized S3MockServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
        }
        return shared;
    }

    /** Whether the server of this test JVM still runs, and the end of its log: for a test that failed. */
    public static synchronized String status() {
        if (shared == null) {
            return "S3Mock not started";
        }
        String state = shared.process.isAlive() ? "running" : "exited with " + shared.process.exitValue();
        try {
            List<String> lines = Files.readAllLines(shared.log);
            return "S3Mock " + state + "; the end of " + shared.log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "S3Mock " + state + "; its log cannot be read: " + e;
        }
    }

    /** e.g. http://127.0.0.1:41234 */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private static S3MockServer start() {
        Path jar = jar();
        int http = FreePorts.next();
        int https = FreePorts.next();
        try {
            Path store = Files.createTempDirectory("s3mock-store");
            Path log = Path.of("target", "s3mock", "s3mock-" + http + ".log");
            Files.createDirectories(log.getParent());
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-jar", jar.toString(),
                    "--com.adobe.testing.s3mock.httpPort=" + http,
                    // S3Mock's own HTTPS port: unused, but it must not collide with anything
                    "--server.port=" + https));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("COM_ADOBE_TESTING_S3MOCK_STORE_ROOT", store.toString());
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                process.destroy();
                try {
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                }
            }, "s3mock-stop"));
            awaitReady(process, http, log);
            return new S3MockServer(process, http, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Mock", e);
        }
    }

    private static void awaitReady(Process process, int port, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/favicon.ico"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos(); // a busy 2-core machine: ~4 s idle
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while S3Mock started", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while S3Mock started", e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Mock did not get ready within 90 s; see " + log);
    }

    private static Path jar() {
        Path copied = Path.of("target", "s3mock", "s3mock-exec.jar");
        if (Files.isRegularFile(copied)) {
            return copied;
        }
        throw new IllegalStateException(copied.toAbsolutePath() + " is missing: the build copies it there in the "
                + "generate-test-resources phase (run the tests through ./mvnw)");
    }
}
