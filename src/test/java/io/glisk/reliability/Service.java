package io.glisk.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One process of the jar, as an operator runs it: its settings in the environment, its log in a file (appended
 * across restarts), stopped with SIGTERM or killed with SIGKILL at any moment.
 */
final class Service {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Lab lab;
    private final int port;
    private final Path log;
    private final Map<String, String> environment;
    private final List<String> arguments;
    private Process process;
    private int starts;

    Service(String name, Lab lab, Path dir, int port, Map<String, String> environment, List<String> arguments) {
        this.name = name;
        this.lab = lab;
        this.port = port;
        this.log = dir.resolve(name + ".log");
        this.environment = Map.copyOf(environment);
        this.arguments = List.copyOf(arguments);
    }

    String name() {
        return name;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    int starts() {
        return starts;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(lab.java(), "-Xmx512m", "-XX:+UseSerialGC", "-jar", lab.jar().toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(log.getParent().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "\n===== reliability suite: start " + (starts + 1) + " of " + name + " =====\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = lab.started(builder.start());
        starts++;
    }

    /** Waits until the readiness probe says UP. */
    void awaitReady(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " while starting; see " + log);
            }
            if (readiness() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException(name + " not ready within " + within.toSeconds() + " s; see " + log);
    }

    /** SIGKILL: no shutdown hook, no graceful drain, connections dropped mid-request. */
    void kill() throws InterruptedException {
        if (alive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** SIGTERM: the graceful shutdown an operator's stop gives. */
    void stop() throws InterruptedException {
        if (alive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** The HTTP status of the readiness probe, or -1 when nothing answers within five seconds. */
    int readiness() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    HttpResponse<String> get(String path, String user, String password) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET(), user, password);
    }

    HttpResponse<String> post(String path, String json, String user, String password) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), user, password);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String user, String password)
            throws IOException, InterruptedException {
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Log lines (of every start) that contain {@code text}. */
    List<String> logLines(String text) throws IOException {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(text)).toList();
        }
    }
}
