package io.glisk.local.chain;

import io.glisk.chain.ChainPolls;
import io.glisk.events.PipelineEvents;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.event.Level;

/**
 * A local EVM: the anvil binary of the npm package @foundry-rs/anvil, on 127.0.0.1, its state kept in a
 * file ({@link ChainStateFile} while it runs, anvil itself on exit) unless the local data is throw-away. An anvil
 * left behind by a killed JVM is stopped first, as the embedded PostgreSQL's is.
 */
final class AnvilProcess implements AutoCloseable {

    /** Where `npm ci --prefix contracts` puts the binary, relative to the working directory. */
    private static final List<String> KNOWN_LOCATIONS = List.of(
            "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil",
            "contracts/node_modules/.bin/anvil");

    private final Process process;
    private final Path pidFile;
    private final String rpcUrl;
    /** Null while the chain is throw-away. */
    private ChainStateFile stateFile;

    private AnvilProcess(Process process, Path pidFile, String rpcUrl) {
        this.process = process;
        this.pidFile = pidFile;
        this.rpcUrl = rpcUrl;
    }

    static AnvilProcess start(String configuredBinary, int port, Path stateDir, boolean keepState, long chainId,
                              ChainPolls polls)
            throws IOException, InterruptedException {
        Path binary = binary(configuredBinary);
        Files.createDirectories(stateDir);
        Path pidFile = stateDir.resolve("anvil.pid");
        stopLeftBehind(pidFile);
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--chain-id", Long.toString(chainId), "--hardfork", "cancun",
                "--quiet"));
        Path state = stateDir.resolve("state.json");
        if (keepState) {
            // loaded at start, written on exit; while it runs, ChainStateFile writes it
            command.addAll(List.of("--state", state.toString()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(stateDir.resolve("anvil.log").toFile()).start();
        Files.writeString(pidFile, Long.toString(process.pid()));
        String rpcUrl = "http://127.0.0.1:" + port;
        AnvilProcess anvil = new AnvilProcess(process, pidFile, rpcUrl);
        anvil.awaitReady();
        if (keepState) {
            try {
                anvil.stateFile = ChainStateFile.start(rpcUrl, state, polls);
            } catch (IOException | RuntimeException e) {
                anvil.close();
                throw e;
            }
        }
        return anvil;
    }

    String rpcUrl() {
        return rpcUrl;
    }

    private void awaitReady() throws IOException, InterruptedException {
        // closed once anvil answers: an open client's selector thread would wake every 3 s for as long as the service runs
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest ping = HttpRequest.newBuilder(URI.create(rpcUrl)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                    .timeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("anvil exited with " + process.exitValue() + " (port " + URI.create(rpcUrl).getPort()
                            + " taken? set LOCAL_CHAIN_PORT); see its log beside the chain state");
                }
                try {
                    if (http.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(50);
            }
        }
        close();
        throw new IOException("anvil did not answer on " + rpcUrl + " within 15 s");
    }

    private static Path binary(String configured) throws IOException {
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IOException("ANVIL_BIN " + configured + " is not an executable file");
            }
            return path;
        }
        for (String location : KNOWN_LOCATIONS) {
            Path path = Path.of(location).toAbsolutePath();
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        Optional<Path> onPath = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> List.of(p.split(":")).stream()).map(dir -> Path.of(dir, "anvil"))
                .filter(Files::isExecutable).findFirst();
        return onPath.orElseThrow(() -> new IOException(
                "anvil not found: run `npm ci --prefix contracts` in the project directory, or set ANVIL_BIN"));
    }

    private static void stopLeftBehind(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile).strip();
        if (pid.matches("\\d+")) {
            ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("anvil")).orElse(false))
                    .ifPresent(p -> {
                        PipelineEvents.event(Level.WARN, "local.chain.stopping_leftover").addKeyValue("pid", p.pid()).log();
                        p.destroy();
                        p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                    });
        }
        Files.deleteIfExists(pidFile);
    }

    @Override
    public void close() {
        if (stateFile != null) {
            stateFile.close();
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(pidFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // a stale pid file is handled at the next start
        }
    }
}
