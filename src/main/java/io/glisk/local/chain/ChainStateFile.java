package io.glisk.local.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.chain.ChainPolls;
import io.glisk.events.PipelineEvents;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.slf4j.event.Level;

/**
 * Keeps the local chain's state file current and always whole. anvil's own periodic dump (--state-interval)
 * rewrote the whole file in place every interval, moved or not: an idle chain of 10,000 tokens cost about a tenth of
 * a core, and a hard stop during one of those rewrites (several percent of the time) left a truncated file, that is
 * a lost chain. Here the chain is looked at every {@link #EVERY} (its block number, one cheap call) and its state
 * fetched ({@code anvil_dumpState}) only when it moved; the file is written beside and moved in. anvil still writes
 * it on a normal exit (--state), so a clean stop loses nothing. While anvil pushes its new blocks
 * ({@link ChainPolls#headsPushed()}), a look with no move heard of since the last one asks anvil nothing.
 */
final class ChainStateFile implements AutoCloseable {

    /** How often the chain is looked at: about the most chain time a hard stop can lose. */
    static final Duration EVERY = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI rpc;
    private final Path file;
    private final ChainPolls polls;
    /** A move of the chain heard of since the last look. */
    private final AtomicBoolean moved = new AtomicBoolean(true);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "glisk-chain-state");
        thread.setDaemon(true);
        return thread;
    });
    private BigInteger written;

    private ChainStateFile(String rpcUrl, Path file, ChainPolls polls) {
        this.rpc = URI.create(rpcUrl);
        this.file = file;
        this.polls = polls;
    }

    /** Starts keeping {@code file}, which holds the chain as anvil loaded it. */
    static ChainStateFile start(String rpcUrl, Path file, ChainPolls polls) throws IOException {
        ChainStateFile state = new ChainStateFile(rpcUrl, file, polls);
        polls.onChainMoved(() -> state.moved.set(true));
        state.written = state.blockNumber();
        state.scheduler.scheduleWithFixedDelay(state::writeIfMoved, EVERY.toMillis(), EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        return state;
    }

    private void writeIfMoved() {
        if (!moved.getAndSet(false) && polls.headsPushed()) {
            return;
        }
        try {
            BigInteger block = blockNumber();
            if (block.equals(written)) {
                return;
            }
            byte[] gzipped = HexFormat.of().parseHex(strip0x(call("anvil_dumpState").asText()));
            Path partial = file.resolveSibling(file.getFileName() + ".part");
            try (InputStream json = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
                Files.copy(json, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written = block;
        } catch (IOException | RuntimeException e) {
            // anvil stopping, or a full disk: the file keeps the last whole state, and the next look tries again
            moved.set(true);
            PipelineEvents.event(Level.WARN, "local.chain.state_not_written").addKeyValue("file", file)
                    .addKeyValue("error", PipelineEvents.failure(e)).log();
        }
    }

    private BigInteger blockNumber() throws IOException {
        return new BigInteger(strip0x(call("eth_blockNumber").asText()), 16);
    }

    /**
     * A blocking call on the caller's thread: the JDK's HttpClient handed each request to its selector and worker
     * threads and back, and with its selector's own 3 s wake-ups that was most of an idle local service's CPU
     * spent on the chain state (about 110 ms a minute, 12 looks).
     */
    private JsonNode call(String method) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) rpc.toURL().openConnection();
        connection.setConnectTimeout((int) Duration.ofSeconds(2).toMillis());
        connection.setReadTimeout((int) Duration.ofSeconds(30).toMillis());
        connection.setRequestMethod("POST");
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":[]}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (connection.getResponseCode() != HttpURLConnection.HTTP_OK) {
            throw new IOException("the local chain answered " + method + " with HTTP " + connection.getResponseCode());
        }
        JsonNode answer;
        try (InputStream body = connection.getInputStream()) {
            answer = JSON.readTree(body);
        }
        if (!answer.hasNonNull("result")) {
            throw new IOException("the local chain answered " + method + " without a result: " + answer.path("error"));
        }
        return answer.get("result");
    }

    private static String strip0x(String hex) {
        return hex.startsWith("0x") ? hex.substring(2) : hex;
    }

    /** Lets a write under way finish: anvil, stopped next, writes the file last, on its exit. */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
