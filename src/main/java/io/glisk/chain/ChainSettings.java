package io.glisk.chain;

import io.glisk.settings.Secret;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The EVM chain and our contract on it (RPC_URL, CHAIN_ID, GLISK_NFT_CONTRACT_ADDRESS, KEEPER_PRIVATE_KEY).
 * In local mode the local chain supplies all four.
 *
 * @param confirmations   blocks a mint must be buried under before detection takes it as final (the log poller
 *                        reads only such blocks, gap recovery reads the contract as of them, a younger webhook
 *                        mint stays provisional)
 * @param maxBlockRange   most blocks one eth_getLogs asks for
 * @param rpcTimeoutSeconds HTTP timeout of one JSON-RPC call
 * @param wsUrl           the node's WebSocket endpoint (CHAIN_WS_URL, {@code ws://} or {@code wss://}; empty: none),
 *                        whose pushed new blocks wake the head poll and the receipt tick; the built-in local node's
 *                        is used without it. Checked by {@link ChainHeads}, whose refusal never shows the URL
 *                        (a provider's holds its API key), where a validation annotation's would
 */
@Validated
@ConfigurationProperties("glisk.chain")
public record ChainSettings(
        String rpcUrl,
        Long chainId,
        String contractAddress,
        Secret keeperPrivateKey,
        @Min(0) @Max(1000) int confirmations,
        @Min(1) @Max(100_000) int maxBlockRange,
        @Min(1) @Max(300) int rpcTimeoutSeconds,
        String wsUrl) {
}
