package io.glisk.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.glisk.settings.Secret;
import org.junit.jupiter.api.Test;

/** A configured RPC URL is shown by its scheme and host only, wherever the provider put its key. */
class ChainConnectionTest {

    private static ChainConnection configured(String rpcUrl) {
        return new ChainConnection(rpcUrl, 8453, "0x5fbdb2315678afecb367f032d93f642f64180aa3", new Secret("0xkeeper"));
    }

    @Test
    void aConfiguredUrlLosesItsPathQueryAndUserInfo() {
        assertThat(configured("https://base-mainnet.g.alchemy.com/v2/AlchemyKey123").shownRpcUrl())
                .isEqualTo("https://base-mainnet.g.alchemy.com");
        assertThat(configured("https://rpc.example:8443/?apikey=QueryKey456").shownRpcUrl())
                .isEqualTo("https://rpc.example:8443");
        assertThat(configured("https://user:PassKey789@rpc.example/").shownRpcUrl()).isEqualTo("https://rpc.example");
        assertThat(configured("wss://[::1]:8546/KeyInPath").shownRpcUrl()).isEqualTo("wss://[::1]:8546");
        assertThat(configured("not a url /with/Key000").shownRpcUrl()).isEqualTo("(not shown)");
    }

    @Test
    void theBuiltInNodeIsShownWhole() {
        ChainConnection local = new ChainConnection("http://127.0.0.1:8545", 31337, "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                new Secret("0xkeeper"), true);

        assertThat(local.shownRpcUrl()).isEqualTo("http://127.0.0.1:8545");
    }

    @Test
    void neitherTheUrlNorTheKeeperKeyShowsInItsText() {
        assertThat(configured("https://base-mainnet.g.alchemy.com/v2/AlchemyKey123").toString())
                .doesNotContain("AlchemyKey123").doesNotContain("0xkeeper").contains("https://base-mainnet.g.alchemy.com");
    }
}
