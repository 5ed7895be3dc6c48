package io.glisk.reveal;

import io.glisk.chain.ChainPolls;
import io.glisk.chain.ContractErrors;
import io.glisk.chain.GliskContract;
import io.glisk.sql.SqlResources;
import io.glisk.events.PipelineEvents;
import io.glisk.reveal.KeeperTransactions.Broadcast;
import io.glisk.reveal.KeeperTransactions.Recorded;
import io.glisk.settings.ConditionalOnStage;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.event.Level;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Settles every open reveal transaction from the chain, sender by sender and nonce by nonce: mined and
 * successful → tokens revealed; reverted, its nonce taken by another transaction, stranded behind a nonce gap
 * or refused by the node → over, its tokens released with the reason; not in the node's pool (never sent, or
 * dropped) → sent again, same bytes; sent and stuck past TRANSACTION_TIMEOUT_SECONDS → replaced with the same
 * nonce and higher fees. One transaction that cannot be checked never holds up the others. It runs before the
 * first reveal of an instance (crash recovery) and then on a timer, without blocking anything else.
 */
@ConditionalOnStage("reveal")
@Component("revealReceipts")
public class RevealReceipts {

    /** How long a used nonce may go without a receipt of ours before it counts as taken by someone else. */
    static final int NONCE_LOST_AFTER_SECONDS = 15;

    private static final long FULL_CHECK_MILLIS = 60_000;

    /** An open transaction as recorded, with what its settlement needs besides the signed bytes. */
    private record Open(Recorded tx, List<String> uris, boolean pending, double ageSeconds, double idleSeconds) {
    }

    private final Web3j web3j;
    private final KeeperTransactions keeper;
    private final KeeperFees fees;
    private final RevealTokens tokens;
    private final RevealSettings settings;
    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final TransactionTemplate transactions;
    private final ChainPolls chainPolls;
    /** Transactions this instance's sender is broadcasting: the sender settles what the node says to them. */
    private final Set<Long> broadcasting = ConcurrentHashMap.newKeySet();
    private volatile boolean reconciled;
    private volatile boolean mayHaveOpen = true;
    private volatile long lastCheck;

    RevealReceipts(Web3j web3j, KeeperTransactions keeper, KeeperFees fees, RevealTokens tokens, RevealSettings settings,
                   NamedParameterJdbcTemplate jdbc, SqlResources sql, TransactionTemplate transactions,
                   ChainPolls chainPolls) {
        this.web3j = web3j;
        this.keeper = keeper;
        this.fees = fees;
        this.tokens = tokens;
        this.settings = settings;
        this.jdbc = jdbc;
        this.sql = sql;
        this.transactions = transactions;
        this.chainPolls = chainPolls;
    }

    /** Before this instance sends anything new: settle what earlier runs (or a crash) left open. */
    public synchronized void reconcileOnce() throws IOException {
        if (!reconciled) {
            check();
            reconciled = true;
        }
    }

    /**
     * A transaction was just recorded and is being broadcast: checks leave it to its sender until {@link
     * #handedOver}, then look at it on every tick until it is settled.
     */
    void opened(Recorded tx) {
        broadcasting.add(tx.id());
        mayHaveOpen = true;
    }

    /**
     * Its sender has broadcast it and settled any refusal: the receipt tick looks now. Sleeping through a quiet
     * spell (local mode: a minute), it would otherwise leave the transaction unsettled that long.
     */
    void handedOver(Recorded tx) {
        broadcasting.remove(tx.id());
        chainPolls.chainMoved();
    }

    /**
     * The timer's entry: checks when something may be open, and once a minute anyway (other instances). Answers
     * whether it checked: a tick that did not is idle, and lets the timer back off.
     */
    public boolean tick() throws IOException {
        if (mayHaveOpen || System.currentTimeMillis() - lastCheck > FULL_CHECK_MILLIS) {
            check();
            return true;
        }
        return false;
    }

    public synchronized void check() throws IOException {
        lastCheck = System.currentTimeMillis();
        // cleared before reading, set again only below: a transaction recorded while this check runs (after its
        // query) keeps the flag, and the next tick looks at it
        mayHaveOpen = false;
        Map<String, List<Open>> byNonce = new LinkedHashMap<>();
        for (Map<String, Object> row : jdbc.queryForList(sql.load("sql/reveal/open-transactions.sql"), Map.of())) {
            Open open = open(row);
            byNonce.computeIfAbsent(open.tx().sender() + "/" + open.tx().nonce(), k -> new ArrayList<>()).add(open);
        }
        boolean stillOpen = false;
        IOException unreachable = null;
        Map<String, Long> nextNonce = new HashMap<>();
        for (List<Open> group : byNonce.values()) {
            if (group.stream().anyMatch(open -> broadcasting.contains(open.tx().id()))) {
                stillOpen = true; // a check now would broadcast it a second time, and maybe settle it twice
                continue;
            }
            try {
                stillOpen |= settle(group, nextNonce);
            } catch (IOException | RuntimeException e) {
                // this one waits for the next tick; the others are settled regardless
                stillOpen = true;
                Recorded newest = group.get(group.size() - 1).tx();
                PipelineEvents.event(Level.WARN, "keeper.transaction_check_failed").addKeyValue("tx_hash", newest.txHash())
                        .addKeyValue("nonce", newest.nonce()).addKeyValue("error", e.getMessage()).log();
                if (e instanceof IOException io) {
                    unreachable = io;
                }
            }
        }
        if (stillOpen) {
            mayHaveOpen = true;
        }
        if (unreachable != null) {
            throw unreachable; // the node is away: nothing new is sent before it answers again
        }
    }

    /** Settles what can be settled of the transactions of one sender and nonce; answers whether they stay open. */
    private boolean settle(List<Open> group, Map<String, Long> nextNonce) throws IOException {
        if (settleMined(group)) {
            return false;
        }
        Open newest = group.get(group.size() - 1);
        String sender = newest.tx().sender();
        long nonce = newest.tx().nonce();
        if (keeper.nonce(sender, DefaultBlockParameterName.LATEST) > nonce) {
            // mined meanwhile? look once more before calling the nonce lost
            if (settleMined(group)) {
                return false;
            }
            // a node may count a mined transaction in the sender's nonce a moment before it answers its receipt:
            // the nonce is lost only when no receipt of ours came for a while
            if (newest.ageSeconds() < NONCE_LOST_AFTER_SECONDS) {
                return true;
            }
            fail(newest.tx(), "nonce " + nonce + " of " + sender + " was used by a transaction the pipeline did not send",
                    null, null, true, true);
            return false;
        }
        // the node's next nonce for the sender, moved on by each open transaction of ours below this one
        long expected = nextNonce.containsKey(sender) ? nextNonce.get(sender)
                : keeper.nonce(sender, DefaultBlockParameterName.PENDING);
        if (nonce > expected) {
            fail(newest.tx(), "nonce gap: the node's next nonce for " + sender + " is " + expected + ", this transaction has "
                    + nonce + " and can never be mined", null, null, true, true);
            return false;
        }
        nextNonce.put(sender, Math.max(expected, nonce + 1));
        if (newest.pending() || nonce == expected) {
            // recorded but maybe never sent (a crash), or no longer in the node's pool: the same bytes again
            PipelineEvents.event(Level.WARN, "keeper.transaction_rebroadcast").addKeyValue("tx_hash", newest.tx().txHash())
                    .addKeyValue("nonce", nonce).log();
            return !refusedBroadcast(newest.tx(), keeper.broadcast(newest.tx()));
        }
        if (newest.ageSeconds() >= settings.transactionTimeoutSeconds()
                && newest.idleSeconds() >= settings.transactionTimeoutSeconds()) {
            replace(newest);
        }
        return true;
    }

    /** The node refused a broadcast: settled here, at once. Answers whether it was a refusal. */
    boolean refusedBroadcast(Recorded tx, Broadcast broadcast) throws IOException {
        if (!broadcast.refused()) {
            return false;
        }
        Optional<TransactionReceipt> receipt = receipt(tx.txHash());
        if (receipt.isPresent()) {
            settleReceipt(tx, receipt.get()); // "nonce too low" because it is already mined
        } else {
            // a refused replacement leaves what it would have replaced open; anything else is over
            fail(tx, broadcast.reason(), null, null, !tx.replacement(),
                    BroadcastRefusals.curedByFreshNonceOrFees(broadcast.reason()));
        }
        return true;
    }

    /** Settles the group if one of its transactions has a receipt. */
    private boolean settleMined(List<Open> group) throws IOException {
        for (Open open : group) {
            Optional<TransactionReceipt> receipt = receipt(open.tx().txHash());
            if (receipt.isPresent()) {
                settleReceipt(open.tx(), receipt.get());
                return true;
            }
        }
        return false;
    }

    private Optional<TransactionReceipt> receipt(String txHash) throws IOException {
        return web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
    }

    private void settleReceipt(Recorded tx, TransactionReceipt receipt) {
        if (receipt.isStatusOK()) {
            confirm(tx, receipt);
        } else {
            fail(tx, "reverted on chain: " + revertReason(receipt), receipt.getGasUsed(), receipt.getBlockNumber(), true, false);
        }
    }

    private void confirm(Recorded tx, TransactionReceipt receipt) {
        BigInteger effectiveGasPrice = receipt.getEffectiveGasPrice() == null ? null
                : new BigInteger(receipt.getEffectiveGasPrice().substring(2), 16);
        Boolean confirmed = jdbc.queryForObject(sql.load("sql/reveal/confirm.sql"), new MapSqlParameterSource()
                .addValue("id", tx.id()).addValue("txHash", tx.txHash())
                .addValue("gasUsed", receipt.getGasUsed())
                .addValue("effectiveGasPrice", effectiveGasPrice)
                .addValue("blockNumber", receipt.getBlockNumber().longValueExact()), Boolean.class);
        if (!Boolean.TRUE.equals(confirmed)) {
            return; // settled already, by a racing check: counted and told once
        }
        long count = tx.tokenIds().size();
        Metrics.summary("glisk.reveal.tokens.per.transaction").record(count);
        Metrics.summary("glisk.reveal.gas.per.token").record(receipt.getGasUsed().doubleValue() / Math.max(1, count));
        if (effectiveGasPrice != null) {
            Metrics.summary("glisk.reveal.effective.gas.price.wei").record(effectiveGasPrice.doubleValue());
        }
        PipelineEvents.event(Level.INFO, "keeper.transaction_confirmed").addKeyValue("tx_hash", tx.txHash())
                .addKeyValue("nonce", tx.nonce()).addKeyValue("block_number", receipt.getBlockNumber())
                .addKeyValue("gas_used", receipt.getGasUsed()).log();
        PipelineEvents.event(Level.INFO, "reveal.batch_confirmed").addKeyValue("tx_hash", tx.txHash())
                .addKeyValue("tokens", count).addKeyValue("gas_used", receipt.getGasUsed())
                .addKeyValue("gas_per_token", count == 0 ? 0 : receipt.getGasUsed().longValueExact() / count).log();
    }

    /**
     * The transaction is over. With {@code wholeNonce} every transaction of its nonce is, and its tokens go back
     * to ready (at once when {@code retryNow}: a fresh nonce or fresh fees is all they need).
     */
    private void fail(Recorded tx, String reason, BigInteger gasUsed, BigInteger blockNumber, boolean wholeNonce,
                      boolean retryNow) {
        // only the settlement that ends the transaction releases its tokens, in the same database transaction:
        // another one racing it (the sender and a receipt check, two instances) finds it over and does nothing
        boolean ended = Boolean.TRUE.equals(transactions.execute(status -> {
            int failed = jdbc.update(sql.load("sql/reveal/fail-transaction.sql"), new MapSqlParameterSource()
                    .addValue("id", tx.id()).addValue("nonce", tx.nonce()).addValue("sender", tx.sender())
                    .addValue("error", reason).addValue("gasUsed", gasUsed).addValue("wholeNonce", wholeNonce)
                    .addValue("blockNumber", blockNumber == null ? null : blockNumber.longValueExact()));
            if (failed == 1 && wholeNonce) {
                tokens.release(tx.tokenIds(), reason, retryNow);
            }
            return failed == 1;
        }));
        if (!ended) {
            return;
        }
        PipelineEvents.event(Level.WARN, "keeper.transaction_failed").addKeyValue("tx_hash", tx.txHash())
                .addKeyValue("nonce", tx.nonce()).addKeyValue("error", reason).log();
    }

    /** Stuck past the timeout: the same nonce and payload with higher fees, when the keeper can still sign it. */
    private void replace(Open stuck) throws IOException {
        Recorded recorded = stuck.tx();
        if (!keeper.signsFor(recorded.sender())) {
            PipelineEvents.event(Level.WARN, "keeper.transaction_stuck").addKeyValue("tx_hash", recorded.txHash())
                    .addKeyValue("nonce", recorded.nonce())
                    .addKeyValue("reason", "sent by " + recorded.sender() + ", a key this instance no longer has").log();
            return;
        }
        Fees higher = fees.replacing(recorded.fees());
        if (higher == null) {
            PipelineEvents.event(Level.WARN, "keeper.transaction_stuck").addKeyValue("tx_hash", recorded.txHash())
                    .addKeyValue("nonce", recorded.nonce()).addKeyValue("reason", "a replacement would exceed the fee cap").log();
            return;
        }
        Recorded replacement = keeper.recordReplacement(recorded, stuck.uris(),
                GliskContract.encodeReveal(recorded.tokenIds(), stuck.uris()), higher);
        if (replacement != null) {
            PipelineEvents.event(Level.WARN, "keeper.transaction_replaced").addKeyValue("tx_hash", recorded.txHash())
                    .addKeyValue("replacement", replacement.txHash()).addKeyValue("nonce", recorded.nonce())
                    .addKeyValue("max_fee_per_gas", higher.maxFeePerGas())
                    .addKeyValue("max_priority_fee_per_gas", higher.maxPriorityFeePerGas()).log();
            refusedBroadcast(replacement, keeper.broadcast(replacement));
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

    private Open open(Map<String, Object> row) {
        String sender = row.get("sender") == null ? keeper.keeperAddress() : (String) row.get("sender");
        Recorded tx = new Recorded(((Number) row.get("id")).longValue(), sender, ((Number) row.get("nonce")).longValue(),
                (String) row.get("tx_hash"), (byte[]) row.get("raw_transaction"),
                Arrays.asList((Long[]) array(row.get("token_ids"))),
                new Fees(((BigDecimal) row.get("max_fee_per_gas")).toBigInteger(),
                        ((BigDecimal) row.get("max_priority_fee_per_gas")).toBigInteger()),
                ((BigDecimal) row.get("gas_limit")).toBigInteger(), row.get("replaces") != null);
        return new Open(tx, Arrays.asList((String[]) array(row.get("metadata_uris"))), "pending".equals(row.get("status")),
                ((Number) row.get("age_seconds")).doubleValue(), ((Number) row.get("idle_seconds")).doubleValue());
    }

    private static Object array(Object sqlArray) {
        try {
            return ((Array) sqlArray).getArray();
        } catch (SQLException e) {
            throw new IllegalStateException("unreadable array column", e);
        }
    }
}
