package io.glisk.reveal;

import io.glisk.chain.ChainConnection;
import io.glisk.chain.ContractErrors;
import io.glisk.chain.GliskContract;
import io.glisk.chain.GliskContract.TokenOnChain;
import io.glisk.ops.PipelineEvents;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.event.Level;
import org.springframework.stereotype.Component;
import io.glisk.settings.ConditionalOnStage;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;

/**
 * Turns a batch of claimed ready tokens into one revealTokens transaction: tokens the chain already revealed
 * are recorded as such and left out (one of them would revert the whole batch), the gas is estimated (a
 * refusal by the contract surfaces here, before anything is sent), fees are set, the transaction is recorded,
 * then broadcast. Its receipt is awaited by {@link RevealReceipts}, not here.
 */
@ConditionalOnStage("reveal")
@Component("revealBatches")
public class RevealBatches {

    private final Web3j web3j;
    private final GliskContract contract;
    private final ChainConnection chain;
    private final KeeperFees fees;
    private final KeeperTransactions keeper;
    private final RevealReceipts receipts;
    private final RevealTokens tokens;
    private final RevealSettings settings;

    RevealBatches(Web3j web3j, GliskContract contract, ChainConnection chain, KeeperFees fees, KeeperTransactions keeper,
                  RevealReceipts receipts, RevealTokens tokens, RevealSettings settings) {
        this.web3j = web3j;
        this.contract = contract;
        this.chain = chain;
        this.fees = fees;
        this.keeper = keeper;
        this.receipts = receipts;
        this.tokens = tokens;
        this.settings = settings;
    }

    /** Sends the batch; answers the transaction, or null when nothing was left to reveal. */
    public KeeperTransactions.Recorded send(List<Map<String, Object>> batch) throws IOException {
        receipts.reconcileOnce();
        List<Long> ids = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (Map<String, Object> row : batch) {
            ids.add(((Number) row.get("token_id")).longValue());
            uris.add("ipfs://" + row.get("metadata_cid"));
        }
        PipelineEvents.event(Level.INFO, "reveal.batch_started").addKeyValue("tokens", ids.size()).log();
        for (TokenOnChain onChain : contract.tokens(ids)) {
            if (onChain.revealedUri() != null) {
                tokens.alreadyRevealed(onChain.tokenId(), onChain.revealedUri());
                int index = ids.indexOf(onChain.tokenId());
                ids.remove(index);
                uris.remove(index);
            }
        }
        if (ids.isEmpty()) {
            return null;
        }
        String data = GliskContract.encodeReveal(ids, uris);
        BigInteger gasLimit = new BigDecimal(estimate(data)).multiply(settings.gasBuffer())
                .setScale(0, RoundingMode.CEILING).toBigInteger();
        KeeperTransactions.Recorded recorded = keeper.recordNew(ids, uris, data, gasLimit, fees.current());
        receipts.opened();
        keeper.broadcast(recorded);
        PipelineEvents.event(Level.INFO, "reveal.batch_sent").addKeyValue("tx_hash", recorded.txHash())
                .addKeyValue("nonce", recorded.nonce()).addKeyValue("tokens", ids.size()).log();
        return recorded;
    }

    private BigInteger estimate(String data) throws IOException {
        EthEstimateGas estimate = web3j.ethEstimateGas(Transaction.createFunctionCallTransaction(keeper.keeperAddress(),
                null, null, null, chain.contractAddress(), data)).send();
        if (estimate.hasError()) {
            throw new RevealRevertedException("the contract refuses the reveal: "
                    + ContractErrors.describe(estimate.getError().getData(), estimate.getError().getMessage()));
        }
        return estimate.getAmountUsed();
    }
}
