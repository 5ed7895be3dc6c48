package io.glisk.reveal;

import io.glisk.chain.ContractErrors;
import io.glisk.claim.SqlResources;
import io.glisk.ops.PipelineEvents;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.event.Level;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import io.glisk.settings.ConditionalOnStage;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Settles every open reveal transaction from the chain: mined and successful → tokens revealed; reverted or
 * its nonce taken by another transaction → tokens released with the reason; recorded but maybe never sent
 * (a crash) → sent again, same bytes; sent and stuck past TRANSACTION_TIMEOUT_SECONDS → replaced with the
 * same nonce and higher fees. It runs before the first reveal of an instance (crash recovery) and then on a
 * timer, without blocking anything else.
 */
@ConditionalOnStage("reveal")
@Component("revealReceipts")
public class RevealReceipts {

    private static final long FULL_CHECK_MILLIS = 60_000;

    private final Web3j web3j;
    private final KeeperTransactions keeper;
    private final KeeperFees fees;
    private final RevealTokens tokens;
    private final RevealSettings settings;
    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private volatile boolean reconciled;
    private volatile boolean mayHaveOpen = true;
    private volatile long lastCheck;

    RevealReceipts(Web3j web3j, KeeperTransactions keeper, KeeperFees fees, RevealTokens tokens, RevealSettings settings,
                   NamedParameterJdbcTemplate jdbc, SqlResources sql) {
        this.web3j = web3j;
        this.keeper = keeper;
        this.fees = fees;
        this.tokens = tokens;
        this.settings = settings;
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /** Before this instance sends anything new: settle what earlier runs (or a crash) left open. */
    public synchronized void reconcileOnce() throws IOException {
        if (!reconciled) {
            check();
            reconciled = true;
        }
    }

    /** A transaction was just recorded: check receipts on every tick until it is settled. */
    void opened() {
        mayHaveOpen = true;
    }

    /** The timer's entry: checks when something may be open, and once a minute anyway (other instances). */
    public void tick() throws IOException {
        if (mayHaveOpen || System.currentTimeMillis() - lastCheck > FULL_CHECK_MILLIS) {
            check();
        }
    }

    public synchronized void check() throws IOException {
        lastCheck = System.currentTimeMillis();
        List<Map<String, Object>> open = jdbc.queryForList(sql.load("sql/reveal/open-transactions.sql"), Map.of());
        Map<Long, List<Map<String, Object>>> byNonce = new LinkedHashMap<>();
        for (Map<String, Object> row : open) {
            byNonce.computeIfAbsent(((Number) row.get("nonce")).longValue(), n -> new ArrayList<>()).add(row);
        }
        boolean stillOpen = false;
        Long chainNonce = null;
        for (Map.Entry<Long, List<Map<String, Object>>> group : byNonce.entrySet()) {
            if (settleMined(group.getValue())) {
                continue;
            }
            if (chainNonce == null) {
                chainNonce = keeper.nonce(DefaultBlockParameterName.LATEST);
            }
            if (chainNonce > group.getKey()) {
                // mined meanwhile? look once more before calling the nonce lost
                if (!settleMined(group.getValue())) {
                    fail(group.getValue().get(group.getValue().size() - 1), "nonce " + group.getKey()
                            + " was used by a transaction the pipeline did not send", null, null);
                }
                continue;
            }
            stillOpen = true;
            advance(group.getValue().get(group.getValue().size() - 1));
        }
        mayHaveOpen = stillOpen;
    }

    /** Settles the group if one of its transactions has a receipt. */
    private boolean settleMined(List<Map<String, Object>> group) throws IOException {
        for (Map<String, Object> row : group) {
            Optional<TransactionReceipt> receipt = web3j.ethGetTransactionReceipt((String) row.get("tx_hash")).send()
                    .getTransactionReceipt();
            if (receipt.isPresent()) {
                if (receipt.get().isStatusOK()) {
                    confirm(row, receipt.get());
                } else {
                    fail(row, "reverted on chain: " + revertReason(receipt.get()), receipt.get().getGasUsed(),
                            receipt.get().getBlockNumber());
                }
                return true;
            }
        }
        return false;
    }

    private void confirm(Map<String, Object> row, TransactionReceipt receipt) {
        BigInteger effectiveGasPrice = receipt.getEffectiveGasPrice() == null ? null
                : new BigInteger(receipt.getEffectiveGasPrice().substring(2), 16);
        jdbc.update(sql.load("sql/reveal/confirm.sql"), new MapSqlParameterSource()
                .addValue("id", row.get("id")).addValue("txHash", row.get("tx_hash"))
                .addValue("gasUsed", receipt.getGasUsed())
                .addValue("effectiveGasPrice", effectiveGasPrice)
                .addValue("blockNumber", receipt.getBlockNumber().longValueExact()));
        long count = tokenIds(row).size();
        Metrics.summary("glisk.reveal.tokens.per.transaction").record(count);
        Metrics.summary("glisk.reveal.gas.per.token").record(receipt.getGasUsed().doubleValue() / Math.max(1, count));
        if (effectiveGasPrice != null) {
            Metrics.summary("glisk.reveal.effective.gas.price.wei").record(effectiveGasPrice.doubleValue());
        }
        PipelineEvents.event(Level.INFO, "keeper.transaction_confirmed").addKeyValue("tx_hash", row.get("tx_hash"))
                .addKeyValue("nonce", row.get("nonce")).addKeyValue("block_number", receipt.getBlockNumber())
                .addKeyValue("gas_used", receipt.getGasUsed()).log();
        PipelineEvents.event(Level.INFO, "reveal.batch_confirmed").addKeyValue("tx_hash", row.get("tx_hash"))
                .addKeyValue("tokens", count).addKeyValue("gas_used", receipt.getGasUsed())
                .addKeyValue("gas_per_token", count == 0 ? 0 : receipt.getGasUsed().longValueExact() / count).log();
    }

    private void fail(Map<String, Object> row, String reason, BigInteger gasUsed, BigInteger blockNumber) {
        jdbc.update(sql.load("sql/reveal/fail-transaction.sql"), new MapSqlParameterSource()
                .addValue("id", row.get("id")).addValue("nonce", row.get("nonce")).addValue("error", reason)
                .addValue("gasUsed", gasUsed).addValue("blockNumber", blockNumber == null ? null : blockNumber.longValueExact()));
        tokens.release(tokenIds(row), reason);
        PipelineEvents.event(Level.WARN, "keeper.transaction_failed").addKeyValue("tx_hash", row.get("tx_hash"))
                .addKeyValue("nonce", row.get("nonce")).addKeyValue("error", reason).log();
    }

    /** Not mined yet: send again what may never have been sent; replace what is stuck. */
    private void advance(Map<String, Object> newest) throws IOException {
        KeeperTransactions.Recorded recorded = recorded(newest);
        if ("pending".equals(newest.get("status"))) {
            keeper.broadcast(recorded);
            PipelineEvents.event(Level.WARN, "keeper.transaction_rebroadcast").addKeyValue("tx_hash", recorded.txHash())
                    .addKeyValue("nonce", recorded.nonce()).log();
            return;
        }
        if (((Number) newest.get("age_seconds")).doubleValue() < settings.transactionTimeoutSeconds()) {
            return;
        }
        Fees higher = fees.replacing(recorded.fees());
        if (higher == null) {
            PipelineEvents.event(Level.WARN, "keeper.transaction_stuck").addKeyValue("tx_hash", recorded.txHash())
                    .addKeyValue("nonce", recorded.nonce()).addKeyValue("reason", "a replacement would exceed the fee cap").log();
            return;
        }
        List<String> uris = Arrays.asList((String[]) array(newest.get("metadata_uris")));
        KeeperTransactions.Recorded replacement = keeper.recordReplacement(recorded.id(), recorded.nonce(),
                recorded.tokenIds(), uris, io.glisk.chain.GliskContract.encodeReveal(recorded.tokenIds(), uris),
                recorded.gasLimit(), higher);
        if (replacement != null) {
            PipelineEvents.event(Level.WARN, "keeper.transaction_replaced").addKeyValue("tx_hash", recorded.txHash())
                    .addKeyValue("replacement", replacement.txHash()).addKeyValue("nonce", recorded.nonce())
                    .addKeyValue("max_fee_per_gas", higher.maxFeePerGas())
                    .addKeyValue("max_priority_fee_per_gas", higher.maxPriorityFeePerGas()).log();
            keeper.broadcast(replacement);
        }
    }

    /** Why a mined transaction reverted: the same call replayed at its block. */
    private String revertReason(TransactionReceipt receipt) {
        try {
            EthCall replay = web3j.ethCall(Transaction.createEthCallTransaction(receipt.getFrom(), receipt.getTo(),
                    web3j.ethGetTransactionByHash(receipt.getTransactionHash()).send().getTransaction()
                            .map(org.web3j.protocol.core.methods.response.Transaction::getInput).orElse("0x")),
                    DefaultBlockParameter.valueOf(receipt.getBlockNumber().subtract(BigInteger.ONE))).send();
            return replay.hasError() ? ContractErrors.describe(replay.getError().getData(), replay.getError().getMessage())
                    : ContractErrors.describe(replay.getRevertReason(), replay.getRevertReason());
        } catch (IOException | RuntimeException e) {
            return "reason unknown (" + e.getMessage() + ")";
        }
    }

    private static KeeperTransactions.Recorded recorded(Map<String, Object> row) {
        return new KeeperTransactions.Recorded(((Number) row.get("id")).longValue(), ((Number) row.get("nonce")).longValue(),
                (String) row.get("tx_hash"), (byte[]) row.get("raw_transaction"), tokenIds(row),
                new Fees(((java.math.BigDecimal) row.get("max_fee_per_gas")).toBigInteger(),
                        ((java.math.BigDecimal) row.get("max_priority_fee_per_gas")).toBigInteger()),
                ((java.math.BigDecimal) row.get("gas_limit")).toBigInteger());
    }

    private static List<Long> tokenIds(Map<String, Object> row) {
        return Arrays.asList((Long[]) array(row.get("token_ids")));
    }

    private static Object array(Object sqlArray) {
        try {
            return ((Array) sqlArray).getArray();
        } catch (SQLException e) {
            throw new IllegalStateException("unreadable array column", e);
        }
    }
}
