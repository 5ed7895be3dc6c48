package io.glisk.reveal;

import io.glisk.chain.ChainConnection;
import io.glisk.claim.SqlArrays;
import io.glisk.claim.SqlResources;
import io.glisk.ops.PipelineEvents;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.slf4j.event.Level;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import io.glisk.settings.ConditionalOnStage;
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
 * advisory lock held while a nonce is chosen and recorded).
 */
@ConditionalOnStage("reveal")
@Component
public class KeeperTransactions {

    /** A recorded, signed transaction. */
    public record Recorded(long id, long nonce, String txHash, byte[] raw, List<Long> tokenIds, Fees fees,
                           BigInteger gasLimit) {
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
        return keeper.getAddress();
    }

    /** A new reveal transaction on the next free nonce. */
    public Recorded recordNew(List<Long> tokenIds, List<String> uris, String data, BigInteger gasLimit, Fees fees)
            throws IOException {
        long chainNonce = nonce(DefaultBlockParameterName.PENDING);
        return transactions.execute(status -> {
            Long next = jdbc.queryForObject(sql.load("sql/reveal/next-nonce.sql"), Map.of(),
                    (row, n) -> (Long) row.getObject("next_nonce"));
            long nonce = Math.max(chainNonce, next == null ? 0 : next);
            return insert(nonce, tokenIds, uris, data, gasLimit, fees, null);
        });
    }

    /**
     * A replacement of a stuck transaction: same nonce and payload, higher fees. Null when another
     * replacement of it was recorded meanwhile (by this or another instance).
     */
    public Recorded recordReplacement(long replaces, long nonce, List<Long> tokenIds, List<String> uris, String data,
                                      BigInteger gasLimit, Fees fees) {
        return transactions.execute(status -> {
            jdbc.queryForObject(sql.load("sql/reveal/next-nonce.sql"), Map.of(), (row, n) -> 0);
            Integer newer = jdbc.queryForObject("SELECT count(*) FROM reveal_transactions WHERE nonce = :nonce AND id > :id",
                    Map.of("nonce", nonce, "id", replaces), Integer.class);
            return newer != null && newer > 0 ? null : insert(nonce, tokenIds, uris, data, gasLimit, fees, replaces);
        });
    }

    /**
     * Hands the signed bytes to the node. A definite refusal by the node is an exception; an unclear outcome
     * (connection lost) leaves the transaction pending, to be found on chain or sent again by the receipt
     * checks.
     */
    public void broadcast(Recorded transaction) throws IOException {
        EthSendTransaction sent;
        try {
            sent = web3j.ethSendRawTransaction(Numeric.toHexString(transaction.raw())).send();
        } catch (IOException unclear) {
            PipelineEvents.event(Level.WARN, "keeper.transaction_send_unclear").addKeyValue("tx_hash", transaction.txHash())
                    .addKeyValue("nonce", transaction.nonce()).addKeyValue("error", unclear.getMessage()).log();
            return;
        }
        if (sent.hasError() && !sent.getError().getMessage().toLowerCase().contains("already known")) {
            throw new IOException("node refused transaction " + transaction.txHash() + ": " + sent.getError().getMessage());
        }
        jdbc.update(sql.load("sql/reveal/mark-sent.sql"), Map.of("id", transaction.id()));
        PipelineEvents.event(Level.INFO, "keeper.transaction_sent").addKeyValue("tx_hash", transaction.txHash())
                .addKeyValue("nonce", transaction.nonce()).addKeyValue("tokens", transaction.tokenIds().size())
                .addKeyValue("gas_limit", transaction.gasLimit())
                .addKeyValue("max_fee_per_gas", transaction.fees().maxFeePerGas())
                .addKeyValue("max_priority_fee_per_gas", transaction.fees().maxPriorityFeePerGas()).log();
    }

    public long nonce(DefaultBlockParameterName block) throws IOException {
        return web3j.ethGetTransactionCount(keeper.getAddress(), block).send().getTransactionCount().longValueExact();
    }

    private Recorded insert(long nonce, List<Long> tokenIds, List<String> uris, String data, BigInteger gasLimit,
                            Fees fees, Long replaces) {
        RawTransaction raw = RawTransaction.createTransaction(chain.chainId(), BigInteger.valueOf(nonce), gasLimit,
                chain.contractAddress(), BigInteger.ZERO, data, fees.maxPriorityFeePerGas(), fees.maxFeePerGas());
        byte[] signed = TransactionEncoder.signMessage(raw, chain.chainId(), keeper);
        String hash = Numeric.toHexString(Hash.sha3(signed));
        Long id = jdbc.queryForObject(sql.load("sql/reveal/record-transaction.sql"), new MapSqlParameterSource()
                .addValue("nonce", nonce).addValue("txHash", hash)
                .addValue("tokenIds", SqlArrays.of("bigint", tokenIds.toArray()))
                .addValue("uris", SqlArrays.of("text", uris.toArray()))
                .addValue("gasLimit", gasLimit).addValue("maxFee", fees.maxFeePerGas())
                .addValue("priorityFee", fees.maxPriorityFeePerGas()).addValue("raw", signed)
                .addValue("chainId", chain.chainId()).addValue("replaces", replaces), Long.class);
        PipelineEvents.event(Level.INFO, "keeper.transaction_recorded").addKeyValue("tx_hash", hash).addKeyValue("nonce", nonce)
                .addKeyValue("tokens", tokenIds.size()).addKeyValue("replaces", replaces).log();
        return new Recorded(id, nonce, hash, signed, tokenIds, fees, gasLimit);
    }
}
