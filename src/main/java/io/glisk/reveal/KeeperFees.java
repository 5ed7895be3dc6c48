package io.glisk.reveal;

import io.glisk.events.PipelineEvents;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import org.slf4j.event.Level;
import org.springframework.stereotype.Component;
import io.glisk.settings.ConditionalOnStage;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;

/**
 * The keeper's EIP-1559 fees: priority = the node's suggestion × KEEPER_GAS_STRATEGY; max fee = 2 × base fee
 * + priority, but never above REVEAL_MAX_GAS_PRICE_GWEI. When even base fee + priority is above that cap the
 * reveal waits ({@link FeesAboveCapException}) instead of failing or overpaying.
 */
@ConditionalOnStage("reveal")
@Component
public class KeeperFees {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final Web3j web3j;
    private final RevealSettings settings;

    KeeperFees(Web3j web3j, RevealSettings settings) {
        this.web3j = web3j;
        this.settings = settings;
    }

    public Fees current() throws IOException {
        EthBlock.Block latest = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
        if (latest == null || latest.getBaseFeePerGas() == null) {
            throw new IOException("the node did not give the latest block's base fee (not an EIP-1559 chain?)");
        }
        BigInteger baseFee = latest.getBaseFeePerGas();
        BigInteger suggested = web3j.ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas();
        BigInteger priority = new BigDecimal(suggested).multiply(settings.gasStrategy().multiplier())
                .setScale(0, RoundingMode.CEILING).toBigInteger();
        BigInteger cap = settings.maxGasPriceWei();
        if (baseFee.add(priority).compareTo(cap) > 0) {
            PipelineEvents.event(Level.WARN, "reveal.fees_above_cap").addKeyValue("base_fee_wei", baseFee)
                    .addKeyValue("priority_fee_wei", priority).addKeyValue("cap_wei", cap).log();
            throw new FeesAboveCapException("fees above REVEAL_MAX_GAS_PRICE_GWEI: base " + baseFee + " + priority "
                    + priority + " wei per gas > cap " + cap + "; waiting for them to drop");
        }
        return new Fees(baseFee.shiftLeft(1).add(priority).min(cap), priority);
    }

    /**
     * Fees for a replacement of a stuck transaction: both fields raised by the bump nodes require, and at
     * least today's fees; null when that would exceed the cap (the transaction then waits as it is).
     */
    public Fees replacing(Fees stuck) throws IOException {
        Fees now;
        try {
            now = current();
        } catch (FeesAboveCapException aboveCap) {
            return null;
        }
        BigInteger priority = bump(stuck.maxPriorityFeePerGas()).max(now.maxPriorityFeePerGas());
        BigInteger maxFee = bump(stuck.maxFeePerGas()).max(now.maxFeePerGas()).max(priority);
        return maxFee.compareTo(settings.maxGasPriceWei()) > 0 ? null : new Fees(maxFee, priority);
    }

    private BigInteger bump(BigInteger wei) {
        BigDecimal factor = BigDecimal.ONE.add(settings.replacementBumpPercent().divide(HUNDRED));
        // rounded up, and at least one wei more: a bump of 0 wei is no bump
        return new BigDecimal(wei).multiply(factor).setScale(0, RoundingMode.CEILING).toBigInteger().max(wei.add(BigInteger.ONE));
    }
}
