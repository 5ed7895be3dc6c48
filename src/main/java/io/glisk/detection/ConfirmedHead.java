package io.glisk.detection;

import io.glisk.chain.ChainSettings;
import io.glisk.settings.ConditionalOnStage;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.web3j.protocol.Web3j;

/**
 * The newest block buried under DETECTION_CONFIRMATIONS blocks: what detection takes as final. The log poller
 * reads up to it and gap recovery reads the contract as of it, so neither stores a mint a reorg may still drop.
 */
@ConditionalOnStage("detection")
@Component
public class ConfirmedHead {

    private final Web3j web3j;
    private final ChainSettings chain;

    ConfirmedHead(Web3j web3j, ChainSettings chain) {
        this.web3j = web3j;
        this.chain = chain;
    }

    /** The confirmed block's number; negative while the chain is shorter than the confirmations asked for. */
    public long block() throws IOException {
        return web3j.ethBlockNumber().send().getBlockNumber().longValueExact() - chain.confirmations();
    }
}
