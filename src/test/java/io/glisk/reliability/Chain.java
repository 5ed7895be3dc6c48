package io.glisk.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.chain.GliskContract;
import io.glisk.local.chain.LocalAccounts;
import io.glisk.local.chain.LocalTransactions;
import io.glisk.support.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The chain of one scenario: an anvil node of its own, its state kept in a file so that it can be stopped and
 * started again with its blocks, our contract deployed on it and the keeper granted its role, as local mode and
 * docker-compose set it up. Mints come from a funded account, one token per mint so that each token has its own
 * author (and prompt); the checks read what the chain says about every token.
 */
final class Chain implements AutoCloseable {

    static final long CHAIN_ID = 31337;
    private static final Event TOKENS_REVEALED = new Event("TokensRevealed",
            List.of(new TypeReference<DynamicArray<Uint256>>() { }));

    private final Lab lab;
    private final Path dir;
    private final int port;
    private Process process;
    private Web3j web3j;
    private String contract;
    private long minterNonce;

    Chain(Lab lab, Path dir) {
        this.lab = lab;
        this.dir = dir;
        this.port = FreePorts.next();
    }

    String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    String contract() {
        return contract;
    }

    /** Starts the node, on the kept state when there is one. */
    void start() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        process = lab.started(new ProcessBuilder(lab.anvil().toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--chain-id", Long.toString(CHAIN_ID), "--hardfork", "cancun", "--quiet",
                "--state", dir.resolve("state.json").toString(), "--state-interval", "1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("anvil.log").toFile()))
                .start());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(rpcUrl())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                .timeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < 300; i++) {
            if (!process.isAlive()) {
                throw new IOException("anvil exited with " + process.exitValue() + "; see " + dir.resolve("anvil.log"));
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    if (web3j == null) {
                        web3j = Web3j.build(new HttpService(rpcUrl()));
                    }
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new IOException("anvil did not answer on " + rpcUrl());
    }

    /** Down for everyone: stopped cleanly (its state written), so that it comes back with its chain. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Our contract, deployed by anvil's deployer account, and the keeper granted KEEPER_ROLE. */
    void deploy() throws IOException {
        String bytecode;
        try (InputStream artifact = Chain.class.getResourceAsStream("/contracts/GliskNFT.json")) {
            bytecode = new ObjectMapper().readTree(artifact).get("bytecode").asText();
        }
        List<Type> arguments = List.of(new Utf8String("GLISK Season 0"), new Utf8String("GLISK0"),
                new Utf8String("ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"), new Uint256(0));
        contract = LocalTransactions.send(web3j, CHAIN_ID, LocalAccounts.DEPLOYER, null,
                bytecode + FunctionEncoder.encodeConstructor(arguments), BigInteger.ZERO).getContractAddress().toLowerCase();
        LocalTransactions.send(web3j, CHAIN_ID, LocalAccounts.DEPLOYER, contract,
                GliskContract.encodeGrantKeeper(LocalAccounts.KEEPER.getAddress()), BigInteger.ZERO);
        minterNonce = web3j.ethGetTransactionCount(LocalAccounts.MINTER.getAddress(), DefaultBlockParameterName.PENDING)
                .send().getTransactionCount().longValueExact();
    }

    /** One token for {@code author}, minted in its own transaction (anvil mines it at once). */
    synchronized void mint(String author) throws IOException {
        RawTransaction mint = RawTransaction.createTransaction(BigInteger.valueOf(minterNonce), LocalTransactions.GAS_PRICE,
                BigInteger.valueOf(300_000), contract, BigInteger.ZERO, GliskContract.encodeMint(author, 1));
        EthSendTransaction sent = web3j.ethSendRawTransaction(
                Numeric.toHexString(TransactionEncoder.signMessage(mint, CHAIN_ID, LocalAccounts.MINTER))).send();
        if (sent.hasError()) {
            throw new IOException("mint refused: " + sent.getError().getMessage());
        }
        minterNonce++;
    }

    /** The revealed URI of each token the chain has revealed (tokens not revealed are absent). */
    Map<Long, String> revealedUris(List<Long> tokenIds) throws IOException {
        Map<Long, String> uris = new HashMap<>();
        GliskContract glisk = new GliskContract(web3j, contract);
        for (int from = 0; from < tokenIds.size(); from += 200) {
            for (GliskContract.TokenOnChain token : glisk.tokens(tokenIds.subList(from, Math.min(tokenIds.size(), from + 200)),
                    DefaultBlockParameterName.LATEST)) {
                if (token.revealedUri() != null) {
                    uris.put(token.tokenId(), token.revealedUri());
                }
            }
        }
        return uris;
    }

    /** Every TokensRevealed event of the contract: which transaction revealed which tokens. */
    Map<String, List<Long>> revealEvents() throws IOException {
        Map<String, List<Long>> byTransaction = new HashMap<>();
        long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        for (long from = 0; from <= head; from += 5000) {
            EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(from),
                    new DefaultBlockParameterNumber(Math.min(head, from + 4999)), contract);
            filter.addSingleTopic(EventEncoder.encode(TOKENS_REVEALED));
            EthLog logs = web3j.ethGetLogs(filter).send();
            if (logs.hasError()) {
                throw new IOException("eth_getLogs: " + logs.getError().getMessage());
            }
            for (EthLog.LogResult<?> result : logs.getLogs()) {
                Log log = (Log) result.get();
                @SuppressWarnings("unchecked")
                List<Uint256> ids = ((DynamicArray<Uint256>) FunctionReturnDecoder.decode(log.getData(),
                        TOKENS_REVEALED.getNonIndexedParameters()).get(0)).getValue();
                byTransaction.computeIfAbsent(log.getTransactionHash(), h -> new ArrayList<>())
                        .addAll(ids.stream().map(id -> id.getValue().longValueExact()).toList());
            }
        }
        return byTransaction;
    }

    /** The sender and nonce of a mined transaction. */
    record Sent(String from, long nonce) {
    }

    Sent sent(String txHash) throws IOException {
        var tx = web3j.ethGetTransactionByHash(txHash).send().getTransaction()
                .orElseThrow(() -> new IOException("transaction " + txHash + " is not on chain"));
        return new Sent(tx.getFrom().toLowerCase(), tx.getNonce().longValueExact());
    }

    /** Transactions the account has had mined. */
    long nonce(String account) throws IOException {
        return web3j.ethGetTransactionCount(account, DefaultBlockParameterName.LATEST).send().getTransactionCount()
                .longValueExact();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        if (web3j != null) {
            web3j.shutdown();
        }
    }
}
