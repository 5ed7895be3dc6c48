package io.glisk.chain;

import io.glisk.settings.Secret;

/** Where the chain is and which contract and keeper key to use: from the settings, or from the local chain. */
public record ChainConnection(String rpcUrl, long chainId, String contractAddress, Secret keeperPrivateKey) {
}
