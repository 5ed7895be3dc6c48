package io.glisk.chain;

import io.glisk.events.PipelineEvents;
import io.glisk.settings.InvalidSettingsException;
import java.io.IOException;
import org.slf4j.event.Level;
import org.springframework.beans.factory.InitializingBean;
import org.web3j.protocol.Web3j;

/**
 * At start-up, the node must be on the chain the settings name: transactions signed for one chain id are
 * refused by a node of another, and logs read from the wrong chain would be taken for mints. A mismatch stops
 * start-up with both ids; a node that does not answer yet is only logged (the stages wait for it anyway, and
 * its first answer to a transaction would show a mismatch as a refusal with the node's reason).
 */
class ChainIdCheck implements InitializingBean {

    private final Web3j web3j;
    private final ChainConnection chain;

    ChainIdCheck(Web3j web3j, ChainConnection chain) {
        this.web3j = web3j;
        this.chain = chain;
    }

    @Override
    public void afterPropertiesSet() {
        long answered;
        try {
            answered = web3j.ethChainId().send().getChainId().longValueExact();
        } catch (IOException | RuntimeException e) {
            PipelineEvents.event(Level.WARN, "chain.id_unchecked").addKeyValue("chain_id", chain.chainId())
                    .addKeyValue("error", e.getMessage()).log();
            return;
        }
        if (answered != chain.chainId()) {
            throw new InvalidSettingsException("CHAIN_ID is " + chain.chainId() + " but the node at RPC_URL is on chain "
                    + answered + " (eth_chainId): point RPC_URL at the chain you mean, or set CHAIN_ID=" + answered);
        }
    }
}
