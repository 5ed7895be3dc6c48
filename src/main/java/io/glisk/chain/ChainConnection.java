package io.glisk.chain;

import io.glisk.settings.Secret;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where the chain is and which contract and keeper key to use: from the settings, or from the local chain.
 *
 * @param builtInNode the local node that local mode started itself (its URL holds nothing secret); false for a
 *                    chain named by RPC_URL, whose URL may carry a provider's API key
 */
public record ChainConnection(String rpcUrl, long chainId, String contractAddress, Secret keeperPrivateKey,
                              boolean builtInNode) {

    /** A chain named by the settings. */
    public ChainConnection(String rpcUrl, long chainId, String contractAddress, Secret keeperPrivateKey) {
        this(rpcUrl, chainId, contractAddress, keeperPrivateKey, false);
    }

    /**
     * The RPC URL as it may be shown (API answers, logs): whole for the built-in local node; otherwise its scheme,
     * host and port only, since providers put the API key in the path (…/v2/&lt;key&gt;), the query or the user info.
     */
    public String shownRpcUrl() {
        if (builtInNode) {
            return rpcUrl;
        }
        if (rpcUrl == null) {
            return "(not shown)";
        }
        try {
            URI uri = new URI(rpcUrl);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "(not shown)";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException unparseable) {
            return "(not shown)";
        }
    }

    /** Never the whole URL of a configured chain, nor the key. */
    @Override
    public String toString() {
        return "ChainConnection[rpcUrl=" + shownRpcUrl() + ", chainId=" + chainId + ", contractAddress=" + contractAddress
                + ", keeperPrivateKey=" + keeperPrivateKey + "]";
    }
}
