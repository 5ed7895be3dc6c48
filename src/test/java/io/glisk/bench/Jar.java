package io.glisk.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process of the service, started the way scripts/run-local starts it (scripts/service: its JVM options and
 * AOT cache), in a directory of its own; measured only from outside: readiness over HTTP, CPU and memory in /proc.
 */
final class Jar implements AutoCloseable {

    static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Linux reports CPU time in clock ticks of 1/100 s. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;
    private final long startedNanos;
    private double startupSeconds = Double.NaN;

    private Jar(String name, int port, Path log, Process process, long startedNanos) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
        this.startedNanos = startedNanos;
    }

    static Jar start(Lab lab, String name, int port, Map<String, String> environment) throws IOException {
        Path dir = Files.createDirectories(lab.runDir().resolve(name));
        Path log = dir.resolve("service.log");
        // the script execs java: the process is the service's JVM itself
        List<String> command = List.of(lab.project().resolve("scripts/service").toString(), "--server.port=" + port);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("GLISK_ADMIN_USER", "admin");
        builder.environment().put("GLISK_ADMIN_PASSWORD", ADMIN_PASSWORD);
        // the anvil binary comes from the project's npm packages, wherever the process runs
        builder.environment().put("ANVIL_BIN", lab.anvil().toString());
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        return new Jar(name, port, log, lab.track(builder.start()), started);
    }

    /** Waits for the readiness probe to say UP; the time from the process start to then is the start-up time. */
    Jar awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " while starting; see " + log);
            }
            if (ready()) {
                startupSeconds = (System.nanoTime() - startedNanos) / 1e9;
                return this;
            }
            Thread.sleep(20);
        }
        throw new IOException(name + " not ready within 180 s; see " + log);
    }

    double startupSeconds() {
        return startupSeconds;
    }

    long pid() {
        return process.pid();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** CPU seconds the process has used (user + system), from /proc/&lt;pid&gt;/stat. */
    double cpuSeconds() throws IOException {
        return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid()), "stat"))) / TICKS_PER_SECOND;
    }

    /** User + system CPU ticks of one /proc stat line (a process's or a thread's). */
    private static long cpuTicks(String stat) {
        // fields after the command name (which may hold spaces) start at state, field 3; utime is 14, stime 15
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * CPU ticks each thread has used, by thread id, with the name the kernel knows it by (the first 15 characters
     * of the Java thread's name), from /proc/&lt;pid&gt;/task/*&#47;stat.
     */
    Map<Long, Map.Entry<String, Long>> threadCpuTicks() throws IOException {
        Map<Long, Map.Entry<String, Long>> threads = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue; // the thread ended meanwhile
                }
                threads.put(Long.parseLong(task.getFileName().toString()), Map.entry(
                        stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpuTicks(stat)));
            }
        }
        return threads;
    }

    /** The Java names of the process's threads by thread id, from {@code jcmd <pid> Thread.print}; empty if it fails. */
    Map<Long, String> javaThreadNames() throws InterruptedException {
        Map<Long, String> names = new HashMap<>();
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid()), "Thread.print").redirectErrorStream(true).start();
            Pattern thread = Pattern.compile("^\"(.*)\" .*?\\[(\\d+)\\]");
            for (String line : new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher m = thread.matcher(line);
                if (m.find()) {
                    names.put(Long.parseLong(m.group(2)), m.group(1));
                }
            }
            jcmd.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            names.clear();
        }
        return names;
    }

    /** Resident set size in MB, from /proc/&lt;pid&gt;/status. */
    double rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for " + pid());
    }

    /**
     * The readiness probe's own verdict, read from its body: its HTTP status alone may say 200 while the
     * application still refuses traffic (a status mapping that replaced Spring Boot's defaults).
     */
    private boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .body().contains("\"status\":\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
    }

    String post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> answer = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IOException(name + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    /** SIGTERM, as an operator stops it (its embedded PostgreSQL and anvil stop with it). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
