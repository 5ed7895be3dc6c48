package io.glisk.local.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;

/** Sends a transaction on the local chain and waits for its receipt (anvil mines at once). */
public final class LocalTransactions {

    public static final BigInteger GAS_PRICE = BigInteger.valueOf(2_000_000_000L);
    public static final BigInteger GAS_LIMIT = BigInteger.valueOf(10_000_000L);

    private LocalTransactions() {
    }

    public static TransactionReceipt send(Web3j web3j, long chainId, Credentials from, String to, String data, BigInteger value)
            throws IOException {
        RawTransactionManager manager = new RawTransactionManager(web3j, from, chainId);
        return receipt(web3j, manager.sendTransaction(GAS_PRICE, GAS_LIMIT, to, data, value));
    }

    /** The receipt of a transaction just sent (anvil mines at once); an error or a revert is an IOException. */
    public static TransactionReceipt receipt(Web3j web3j, EthSendTransaction sent) throws IOException {
        if (sent.hasError()) {
            throw new IOException("local transaction refused: " + sent.getError().getMessage());
        }
        for (int i = 0; i < 300; i++) {
            Optional<TransactionReceipt> receipt = web3j.ethGetTransactionReceipt(sent.getTransactionHash()).send()
                    .getTransactionReceipt();
            if (receipt.isPresent()) {
                if (!receipt.get().isStatusOK()) {
                    throw new IOException("local transaction " + sent.getTransactionHash() + " reverted");
                }
                return receipt.get();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a local receipt", e);
            }
        }
        throw new IOException("local transaction " + sent.getTransactionHash() + " was not mined");
    }
}
