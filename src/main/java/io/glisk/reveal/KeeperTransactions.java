package io.glisk.reveal;

import io.glisk.chain.ChainConnection;
import io.glisk.sql.SqlResources;
import io.glisk.events.PipelineEvents;
import io.glisk.settings.ConditionalOnStage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.event.Level;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.utils.Numeric;

/**
 * The keeper's transactions: signed with the keeper key, recorded in reveal_transactions (committed) before
 * they are broadcast, with nonces handed out one sender at a time across all instances (a PostgreSQL
 * advisory lock held while a nonce is chosen and recorded). Nonces are counted per sender address, from the
 * chain's count for that address and the transactions it has open.
 */
@ConditionalOnStage("reveal")
@Component
public class KeeperTransactions {

    /** A recorded, signed transaction. */
    public record Recorded(long id, String sender, long nonce, String txHash, byte[] raw, List<Long> tokenIds,
                           Fees fees, BigInteger gasLimit, boolean replacement) {
    }

    /** What the node said to a broadcast: taken (or already known), refused with its reason, or no clear answer. */
    public record Broadcast(boolean refused, String reason) {
        static final Broadcast SENT = new Broadcast(false, null);
        static final Broadcast UNCLEAR = new Broadcast(false, "no answer");
    }

    /** The batch lost one of its leases before it could be recorded: nothing was recorded or sent. */
    static final class LeaseLostException extends IllegalStateException {
        LeaseLostException() {
            super("the batch's tokens were claimed again before its transaction was recorded; nothing was sent");
        }
    }

    private final Web3j web3j;
    private final ChainConnection chain;
    private final Credentials keeper;
    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final TransactionTemplate transactions;

    KeeperTransactions(Web3j web3j, ChainConnection chain, NamedParameterJdbcTemplate jdbc, SqlResources sql,
                       TransactionTemplate transactions) {
        this.web3j = web3j;
        this.chain = chain;
        this.keeper = chain.keeperPrivateKey() == null || chain.keeperPrivateKey().isBlank() ? null
                : Credentials.create(chain.keeperPrivateKey().value());
        this.jdbc = jdbc;
        this.sql = sql;
        this.transactions = transactions;
    }

    public String keeperAddress() {
        return keeper.getAddress().toLowerCase(Locale.ROOT);
    }

    /**
     * A new reveal transaction of the batch whose leases are {@code leaseIds}, on the keeper's next free nonce.
     * Throws {@link LeaseLostException} (recording nothing) when any of those leases is no longer on its token.
     */
    public Recorded recordNew(List<UUID> leaseIds, List<Long> tokenIds, List<String> uris, String data,
                              BigInteger gasLimit, Fees fees) throws IOException {
        String sender = keeperAddress();
        try {
            return transactions.execute(status -> {
                lockSenders();
                Long next = jdbc.queryForObject(sql.load("sql/reveal/next-nonce.sql"), Map.of("sender", sender),
                        (row, n) -> (Long) row.getObject("next_nonce"));
                // the chain's count is read under the lock too: a transaction another instance recorded and got
                // mined while this one waited is on chain, no longer open
                long nonce = Math.max(pendingNonce(sender), next == null ? 0 : next);
                return insert(leaseIds, nonce, tokenIds, uris, data, gasLimit, fees, null);
            });
        } catch (UncheckedIOException nodeDidNotAnswer) {
            throw nodeDidNotAnswer.getCause();
        }
    }

    /** Waits until no other sender (of any instance) is choosing a nonce, for the rest of the transaction. */
    private void lockSenders() {
        jdbc.queryForObject(sql.load("sql/reveal/sender-lock.sql"), Map.of(), (row, n) -> 0);
    }

    private long pendingNonce(String sender) {
        try {
            return nonce(sender, DefaultBlockParameterName.PENDING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A replacement of a stuck transaction of the keeper: same nonce and payload, higher fees. Null when another
     * replacement of it was recorded meanwhile (by this or another instance).
     */
    public Recorded recordReplacement(Recorded stuck, List<String> uris, String data, Fees fees) {
        return transactions.execute(status -> {
            lockSenders();
            Boolean newer = jdbc.queryForObject(sql.load("sql/reveal/newer-replacement.sql"), Map.of("nonce", stuck.nonce(),
                    "sender", stuck.sender(), "id", stuck.id()), Boolean.class);
            return Boolean.TRUE.equals(newer) ? null
                    : insert(List.of(), stuck.nonce(), stuck.tokenIds(), uris, data, stuck.gasLimit(), fees, stuck.id());
        });
    }

    /** Whether this process holds the key that signs for {@code sender} (a rotated key no longer does). */
    public boolean signsFor(String sender) {
        return keeperAddress().equals(sender);
    }

    /**
     * Hands the signed bytes to the node. An unclear outcome (connection lost) leaves the transaction as it
     * is, to be found on chain or sent again by the receipt checks; a refusal is answered with the node's
     * reason for the caller to settle.
     */
    public Broadcast broadcast(Recorded transaction) {
        EthSendTransaction sent;
        try {
            sent = web3j.ethSendRawTransaction(Numeric.toHexString(transaction.raw())).send();
        } catch (IOException unclear) {
            PipelineEvents.event(Level.WARN, "keeper.transaction_send_unclear").addKeyValue("tx_hash", transaction.txHash())
                    .addKeyValue("nonce", transaction.nonce()).addKeyValue("error", unclear.getMessage()).log();
            return Broadcast.UNCLEAR;
        }
        if (sent.hasError() && !BroadcastRefusals.alreadyKnown(sent.getError().getMessage())) {
            String reason = "node refused the transaction: " + sent.getError().getMessage();
            PipelineEvents.event(Level.WARN, "keeper.transaction_refused").addKeyValue("tx_hash", transaction.txHash())
                    .addKeyValue("nonce", transaction.nonce()).addKeyValue("error", sent.getError().getMessage()).log();
            return new Broadcast(true, reason);
        }
        jdbc.update(sql.load("sql/reveal/mark-sent.sql"), Map.of("id", transaction.id()));
        PipelineEvents.event(Level.INFO, "keeper.transaction_sent").addKeyValue("tx_hash", transaction.txHash())
                .addKeyValue("nonce", transaction.nonce()).addKeyValue("tokens", transaction.tokenIds().size())
                .addKeyValue("gas_limit", transaction.gasLimit())
                .addKeyValue("max_fee_per_gas", transaction.fees().maxFeePerGas())
                .addKeyValue("max_priority_fee_per_gas", transaction.fees().maxPriorityFeePerGas()).log();
        return Broadcast.SENT;
    }

    public long nonce(String sender, DefaultBlockParameterName block) throws IOException {
        return web3j.ethGetTransactionCount(sender, block).send().getTransactionCount().longValueExact();
    }

    private Recorded insert(List<UUID> leaseIds, long nonce, List<Long> tokenIds, List<String> uris, String data,
                            BigInteger gasLimit, Fees fees, Long replaces) {
        String sender = keeperAddress();
        RawTransaction raw = RawTransaction.createTransaction(chain.chainId(), BigInteger.valueOf(nonce), gasLimit,
                chain.contractAddress(), BigInteger.ZERO, data, fees.maxPriorityFeePerGas(), fees.maxFeePerGas());
        byte[] signed = TransactionEncoder.signMessage(raw, chain.chainId(), keeper);
        String hash = Numeric.toHexString(Hash.sha3(signed));
        List<Long> id = jdbc.queryForList(sql.load("sql/reveal/record-transaction.sql"), new MapSqlParameterSource()
                .addValue("leaseIds", new SqlArrayValue("uuid", leaseIds.toArray()))
                .addValue("nonce", nonce).addValue("txHash", hash)
                .addValue("tokenIds", new SqlArrayValue("bigint", tokenIds.toArray()))
                .addValue("uris", new SqlArrayValue("text", uris.toArray()))
                .addValue("gasLimit", gasLimit).addValue("maxFee", fees.maxFeePerGas())
                .addValue("priorityFee", fees.maxPriorityFeePerGas()).addValue("raw", signed)
                .addValue("chainId", chain.chainId()).addValue("replaces", replaces)
                .addValue("sender", sender), Long.class);
        if (id.isEmpty()) {
            throw new LeaseLostException(); // rolls back the leases this statement ended
        }
        PipelineEvents.event(Level.INFO, "keeper.transaction_recorded").addKeyValue("tx_hash", hash).addKeyValue("nonce", nonce)
                .addKeyValue("sender", sender).addKeyValue("tokens", tokenIds.size()).addKeyValue("replaces", replaces).log();
        return new Recorded(id.get(0), sender, nonce, hash, signed, tokenIds, fees, gasLimit, replaces != null);
    }
}
