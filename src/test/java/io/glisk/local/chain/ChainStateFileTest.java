package io.glisk.local.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.chain.ChainHeads;
import io.glisk.chain.ChainPolls;
import io.glisk.support.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode's kept chain (GLISK_LOCAL_EPHEMERAL=false) against a real anvil: its state file follows the chain,
 * is left alone while the chain is idle, and what it holds survives anvil being killed outright.
 */
class ChainStateFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theStateFileFollowsTheChainStaysUntouchedWhileIdleAndSurvivesAHardKill() throws Exception {
        int port = FreePorts.next();
        Path file = dir.resolve("state.json");
        long minedTo;
        try (AnvilProcess anvil = AnvilProcess.start(null, port, dir, true, LocalChain.CHAIN_ID, new ChainPolls())) {
            rpc(anvil.rpcUrl(), "anvil_mine", "\"0x7\"");
            minedTo = blockNumber(anvil.rpcUrl());
            assertThat(minedTo).isGreaterThanOrEqualTo(7);

            // written at the next look, whole
            await().atMost(ChainStateFile.EVERY.plusSeconds(3)).until(() -> writtenBlock(file) == minedTo);

            // an idle chain is not written again (anvil's own --state-interval rewrote it every second)
            FileTime written = Files.getLastModifiedTime(file);
            Thread.sleep(ChainStateFile.EVERY.plusSeconds(2).toMillis());
            assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);
            assertThat(writtenBlock(file)).isEqualTo(minedTo);

            // killed outright: no exit dump, only what the file held
            ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("anvil.pid")).strip())).orElseThrow()
                    .destroyForcibly();
            await().atMost(Duration.ofSeconds(5)).until(() -> !isUp(anvil.rpcUrl()));
        }
        try (AnvilProcess again = AnvilProcess.start(null, port, dir, true, LocalChain.CHAIN_ID, new ChainPolls())) {
            assertThat(blockNumber(again.rpcUrl())).isEqualTo(minedTo);
        }
    }

    @Test
    void whileAnvilPushesItsNewBlocksTheFileStillFollowsTheChain() throws Exception {
        Path file = dir.resolve("state.json");
        ChainPolls polls = new ChainPolls();
        try (AnvilProcess anvil = AnvilProcess.start(null, FreePorts.next(), dir, true, LocalChain.CHAIN_ID, polls)) {
            ChainHeads heads = new ChainHeads(anvil.rpcUrl().replaceFirst("^http", "ws"), polls);
            heads.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(polls::headsPushed);
                rpc(anvil.rpcUrl(), "anvil_mine", "\"0x3\"");
                long minedTo = blockNumber(anvil.rpcUrl());
                // the looks skip anvil while no block is pushed: the new ones are
                await().atMost(ChainStateFile.EVERY.plusSeconds(3)).until(() -> writtenBlock(file) == minedTo);
            } finally {
                heads.stop();
            }
        }
    }

    /** The block number the state file holds; -1 while there is none. */
    private static long writtenBlock(Path file) throws IOException {
        if (!Files.exists(file)) {
            return -1;
        }
        return Long.decode(JSON.readTree(file.toFile()).path("block").path("number").asText("-1"));
    }

    private long blockNumber(String rpcUrl) throws Exception {
        return Long.decode(rpc(rpcUrl, "eth_blockNumber", "").asText());
    }

    private boolean isUp(String rpcUrl) {
        try {
            blockNumber(rpcUrl);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private JsonNode rpc(String rpcUrl, String method, String params) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(rpcUrl)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":[" + params + "]}"))
                .build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).path("result");
    }
}
