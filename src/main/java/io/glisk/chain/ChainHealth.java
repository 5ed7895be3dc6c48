package io.glisk.chain;

import io.glisk.provider.CachedHealth;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.springframework.boot.actuate.health.Health;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Convert;

/** The chain's RPC node (latest block) and, when this instance reveals, the keeper's balance (low = WARNING). */
class ChainHealth extends CachedHealth {

    private final Web3j web3j;
    private final ChainConnection chain;
    private final boolean reveals;
    private final BigDecimal minimumBalanceEth;

    ChainHealth(Web3j web3j, ChainConnection chain, boolean reveals, BigDecimal minimumBalanceEth, long cacheMillis) {
        super(cacheMillis);
        this.web3j = web3j;
        this.chain = chain;
        this.reveals = reveals;
        this.minimumBalanceEth = minimumBalanceEth;
    }

    @Override
    protected Health check() {
        try {
            BigInteger block = web3j.ethBlockNumber().send().getBlockNumber();
            Health.Builder health = Health.up().withDetail("chainId", chain.chainId()).withDetail("latestBlock", block)
                    .withDetail("contract", chain.contractAddress());
            if (reveals && chain.keeperPrivateKey() != null && !chain.keeperPrivateKey().isBlank()) {
                String keeper = Credentials.create(chain.keeperPrivateKey().value()).getAddress();
                BigDecimal balance = Convert.fromWei(new BigDecimal(web3j.ethGetBalance(keeper, DefaultBlockParameterName.LATEST)
                        .send().getBalance()), Convert.Unit.ETHER);
                health.withDetail("keeper", keeper).withDetail("keeperBalanceEth", balance);
                if (balance.compareTo(minimumBalanceEth) < 0) {
                    health.status(WARNING).withDetail("warning",
                            "keeper balance below " + minimumBalanceEth + " ETH: reveals will stop when it cannot pay gas");
                }
            }
            return health.build();
        } catch (Exception e) {
            return Health.status(WARNING).withDetail("error",
                    "RPC node unreachable: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))
                    .build();
        }
    }
}
