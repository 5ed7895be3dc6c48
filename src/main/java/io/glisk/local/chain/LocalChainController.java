package io.glisk.local.chain;

import io.glisk.chain.ChainConnection;
import io.glisk.chain.ChainPolls;
import io.glisk.chain.GliskContract;
import io.glisk.chain.MintEvent;
import io.glisk.settings.ConditionalOnStage;
import io.glisk.sql.SqlResources;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Local mode only: where the local chain is, and demo mints on it (a real mint transaction from a funded
 * local account; the pipeline then detects it like any other).
 */
@RestController
@Profile("local")
@ConditionalOnStage({"detection", "reveal"})
@RequestMapping("/api/local")
class LocalChainController {

    private static final int MAX_QUANTITY = 50;
    private final ChainConnection chain;
    private final Web3j web3j;
    private final GliskContract contract;
    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final ChainPolls chainPolls;
    private final SecureRandom random = new SecureRandom();

    LocalChainController(ChainConnection chain, Web3j web3j, GliskContract contract, NamedParameterJdbcTemplate jdbc,
                         SqlResources sql, ChainPolls chainPolls) {
        this.chain = chain;
        this.web3j = web3j;
        this.contract = contract;
        this.jdbc = jdbc;
        this.sql = sql;
        this.chainPolls = chainPolls;
    }

    /**
     * Where to point an EVM tool. The built-in anvil's URL is given whole; a chain configured with RPC_URL is named
     * by its scheme and host only (its path or query may hold the provider's API key), and the answer says so.
     */
    @GetMapping("/chain")
    Map<String, Object> chain() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("rpcUrl", chain.shownRpcUrl());
        answer.put("chainId", chain.chainId());
        answer.put("contractAddress", chain.contractAddress());
        answer.put("rpcUrlRedacted", !chain.builtInNode());
        if (!chain.builtInNode()) {
            answer.put("note", "the chain comes from RPC_URL, which may embed an API key: only its scheme and host are shown");
        }
        return answer;
    }

    /**
     * @param quantity     tokens to mint, 1..50
     * @param promptAuthor the author whose prompt the tokens use; a fresh address when a prompt is given
     *                     without one, else the local demo author
     * @param prompt       sets the author's prompt first (local convenience: live authors sign theirs)
     */
    record MintRequest(Integer quantity, String promptAuthor, String prompt) {
    }

    @PostMapping("/mint")
    ResponseEntity<Map<String, Object>> mint(@RequestBody(required = false) MintRequest request) throws IOException {
        if (request == null || request.quantity() == null || request.quantity() < 1 || request.quantity() > MAX_QUANTITY) {
            return ResponseEntity.badRequest().body(Map.of("error", "quantity must be between 1 and " + MAX_QUANTITY));
        }
        String author = request.promptAuthor();
        if (author != null && !author.matches("0x[0-9a-fA-F]{40}")) {
            return ResponseEntity.badRequest().body(Map.of("error", "promptAuthor must be a 0x-prefixed 20-byte address"));
        }
        if (author == null) {
            author = request.prompt() == null ? LocalAccounts.DEMO_AUTHOR : "0x" + HexFormat.of().formatHex(randomAddress());
        }
        author = author.toLowerCase();
        if (request.prompt() != null) {
            jdbc.update(sql.load("sql/local/demo-author.sql"), Map.of("wallet", author, "prompt", request.prompt()));
        }
        TransactionReceipt receipt = LocalTransactions.send(web3j, chain.chainId(), LocalAccounts.MINTER,
                chain.contractAddress(), GliskContract.encodeMint(author, request.quantity()), BigInteger.ZERO);
        // the chain-head poll of a quiet service looks every few seconds: it looks now
        chainPolls.chainMoved();
        MintEvent minted = null;
        for (Log log : receipt.getLogs()) {
            minted = contract.batchMinted(log.getAddress(), log.getTopics(), log.getData(), log.getTransactionHash(),
                    log.getLogIndex().longValueExact(), log.getBlockNumber().longValueExact(), log.getBlockHash())
                    .orElse(minted);
        }
        if (minted == null) {
            return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", "the mint emitted no BatchMinted"));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("txHash", minted.txHash());
        answer.put("blockNumber", minted.blockNumber());
        answer.put("startTokenId", minted.startTokenId());
        answer.put("quantity", minted.quantity());
        answer.put("promptAuthor", minted.promptAuthor());
        return ResponseEntity.ok(answer);
    }

    private byte[] randomAddress() {
        byte[] address = new byte[20];
        random.nextBytes(address);
        return address;
    }
}
