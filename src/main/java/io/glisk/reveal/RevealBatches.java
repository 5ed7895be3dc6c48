package io.glisk.reveal;

import io.glisk.chain.ChainConnection;
import io.glisk.chain.ContractErrors;
import io.glisk.chain.GliskContract;
import io.glisk.chain.GliskContract.RevealState;
import io.glisk.events.PipelineEvents;
import io.glisk.reveal.KeeperTransactions.Broadcast;
import io.glisk.settings.ConditionalOnStage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.event.Level;
import org.springframework.stereotype.Component;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;

/**
 * Turns a batch of claimed ready tokens into one revealTokens transaction: tokens the chain already revealed
 * are recorded as such and left out, tokens the contract never minted fail alone (either would revert the
 * whole batch), the gas is estimated (a refusal by the contract surfaces here, before anything is sent), fees
 * are set, the transaction is recorded — only if the batch still holds every one of its leases — then
 * broadcast. A refusal by the node is settled at once; the receipt is awaited by {@link RevealReceipts}.
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

    /** Sends the batch of claimed rows (token_id, lease_id, metadata_cid). */
    public void send(List<Map<String, Object>> batch) throws IOException {
        receipts.reconcileOnce();
        PipelineEvents.event(Level.INFO, "reveal.batch_started").addKeyValue("tokens", batch.size()).log();
        List<Long> ids = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        List<UUID> leases = new ArrayList<>();
        List<RevealState> states = contract.revealStates(batch.stream()
                .map(row -> ((Number) row.get("token_id")).longValue()).toList());
        for (int i = 0; i < batch.size(); i++) {
            RevealState state = states.get(i);
            UUID lease = (UUID) batch.get(i).get("lease_id");
            if (!state.minted()) {
                tokens.notOnChain(state.tokenId(), lease);
            } else if (state.revealedUri() != null) {
                tokens.alreadyRevealed(state.tokenId(), lease, state.revealedUri());
            } else {
                ids.add(state.tokenId());
                uris.add("ipfs://" + batch.get(i).get("metadata_cid"));
                leases.add(lease);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        String data = GliskContract.encodeReveal(ids, uris);
        BigInteger gasLimit = new BigDecimal(estimate(data)).multiply(settings.gasBuffer())
                .setScale(0, RoundingMode.CEILING).toBigInteger();
        KeeperTransactions.Recorded recorded = keeper.recordNew(leases, ids, uris, data, gasLimit, fees.current());
        receipts.opened(recorded);
        try {
            Broadcast broadcast = keeper.broadcast(recorded);
            if (!receipts.refusedBroadcast(recorded, broadcast)) {
                PipelineEvents.event(Level.INFO, "reveal.batch_sent").addKeyValue("tx_hash", recorded.txHash())
                        .addKeyValue("nonce", recorded.nonce()).addKeyValue("tokens", ids.size()).log();
            }
        } finally {
            receipts.handedOver(recorded);
        }
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
