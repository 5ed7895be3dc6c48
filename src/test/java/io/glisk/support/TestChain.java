package io.glisk.support;

import io.glisk.chain.ChainConnection;
import io.glisk.chain.GliskContract;
import io.glisk.local.chain.LocalAccounts;
import io.glisk.local.chain.LocalTransactions;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/** Drives the test's local chain the way users and operators would: mints, reveals, role changes, mining. */
public final class TestChain implements AutoCloseable {

    /** anvil's well-known accounts 4..9: people who mint. */
    public static final List<Credentials> MINTERS = List.of(
            Credentials.create("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"),
            Credentials.create("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"),
            Credentials.create("0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e"),
            Credentials.create("0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356"),
            Credentials.create("0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"),
            Credentials.create("0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"));

    private final ChainConnection chain;
    private final HttpService rpc;
    private final Web3j web3j;

    public TestChain(ChainConnection chain) {
        this.chain = chain;
        this.rpc = new HttpService(chain.rpcUrl());
        this.web3j = Web3j.build(rpc);
    }

    public Web3j web3j() {
        return web3j;
    }

    public TransactionReceipt mint(Credentials minter, String promptAuthor, int quantity) throws IOException {
        return LocalTransactions.send(web3j, chain.chainId(), minter, chain.contractAddress(),
                GliskContract.encodeMint(promptAuthor, quantity), BigInteger.ZERO);
    }

    /** Reveals on chain directly (as another keeper would), outside the pipeline. */
    public TransactionReceipt reveal(List<Long> tokenIds, List<String> uris) throws IOException {
        return LocalTransactions.send(web3j, chain.chainId(), LocalAccounts.DEPLOYER, chain.contractAddress(),
                GliskContract.encodeReveal(tokenIds, uris), BigInteger.ZERO);
    }

    public void revokeKeeper(String account) throws IOException {
        LocalTransactions.send(web3j, chain.chainId(), LocalAccounts.DEPLOYER, chain.contractAddress(),
                FunctionEncoder.encode(new Function("revokeRole",
                        List.of(new Bytes32(GliskContract.KEEPER_ROLE), new Address(account)), List.of())), BigInteger.ZERO);
    }

    public void grantKeeper(String account) throws IOException {
        LocalTransactions.send(web3j, chain.chainId(), LocalAccounts.DEPLOYER, chain.contractAddress(),
                GliskContract.encodeGrantKeeper(account), BigInteger.ZERO);
    }

    /**
     * A mint signed now and sent later, possibly more than once: after a reorg (evm_revert) the same transaction can
     * be mined again in another block, as a real chain does with the transactions of an orphaned block.
     */
    public String signMint(Credentials minter, String promptAuthor, int quantity) throws IOException {
        BigInteger nonce = web3j.ethGetTransactionCount(minter.getAddress(), DefaultBlockParameterName.PENDING).send()
                .getTransactionCount();
        RawTransaction mint = RawTransaction.createTransaction(nonce, LocalTransactions.GAS_PRICE,
                LocalTransactions.GAS_LIMIT, chain.contractAddress(), BigInteger.ZERO,
                GliskContract.encodeMint(promptAuthor, quantity));
        return Numeric.toHexString(TransactionEncoder.signMessage(mint, chain.chainId(), minter));
    }

    public TransactionReceipt send(String signedTransaction) throws IOException {
        return LocalTransactions.receipt(web3j, web3j.ethSendRawTransaction(signedTransaction).send());
    }

    /** Signed transactions mined together in one block, in this order, as a real chain mines several users' mints. */
    public List<TransactionReceipt> sendInOneBlock(String... signedTransactions) throws IOException {
        automine(false);
        List<EthSendTransaction> sent = new ArrayList<>();
        try {
            for (String signed : signedTransactions) {
                sent.add(web3j.ethSendRawTransaction(signed).send());
            }
            mine(1);
        } finally {
            automine(true);
        }
        List<TransactionReceipt> receipts = new ArrayList<>();
        for (EthSendTransaction transaction : sent) {
            receipts.add(LocalTransactions.receipt(web3j, transaction));
        }
        return receipts;
    }

    private void automine(boolean on) throws IOException {
        new Request<>("evm_setAutomine", List.of(on), rpc, VoidResponse.class).send();
    }

    /** Remembers the chain as it is now (evm_snapshot), for {@link #revert}. */
    public String snapshot() throws IOException {
        return new Request<>("evm_snapshot", List.of(), rpc, Text.class).send().getResult();
    }

    /**
     * Back to a snapshot (evm_revert): the blocks mined since leave the chain, as in a reorg, and the blocks mined next
     * take their numbers with other hashes.
     */
    public void revert(String snapshot) throws IOException {
        Flag reverted = new Request<>("evm_revert", List.of(snapshot), rpc, Flag.class).send();
        if (!Boolean.TRUE.equals(reverted.getResult())) {
            throw new IOException("evm_revert " + snapshot + " failed");
        }
    }

    public static final class Text extends Response<String> {
    }

    public static final class Flag extends Response<Boolean> {
    }

    /** Mines empty blocks (anvil_mine), e.g. to bury a mint under confirmations. */
    public void mine(long blocks) throws IOException {
        new Request<>("anvil_mine", List.of("0x" + Long.toHexString(blocks)), rpc, VoidResponse.class).send();
    }

    public long head() throws IOException {
        return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
