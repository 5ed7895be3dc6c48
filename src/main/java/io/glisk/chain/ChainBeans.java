package io.glisk.chain;

import java.math.BigDecimal;
import java.time.Duration;
import okhttp3.OkHttpClient;
import io.glisk.provider.ProviderCircuits;
import io.glisk.settings.ConditionalOnStage;
import io.glisk.settings.RunMode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** The chain client, for instances that run a stage that needs the chain (detection or reveal). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnStage({"detection", "reveal"})
class ChainBeans {

    /** The node's name in metrics and circuits. */
    static final String RPC = "chain_rpc";

    /** The chain named by the settings (unless local mode starts its own: io.glisk.local.chain.LocalChain). */
    @Bean
    @Conditional(RunMode.ConfiguredChain.class)
    ChainConnection chainConnection(ChainSettings settings) {
        return new ChainConnection(settings.rpcUrl(), settings.chainId() == null ? 0 : settings.chainId(),
                settings.contractAddress(), settings.keeperPrivateKey());
    }

    /** Every JSON-RPC request goes through the node's circuit (refused while the node is down for everyone). */
    @Bean(destroyMethod = "shutdown")
    Web3j web3j(ChainConnection connection, ChainSettings settings, ProviderCircuits circuits) {
        Duration timeout = Duration.ofSeconds(settings.rpcTimeoutSeconds());
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(timeout).readTimeout(timeout)
                .writeTimeout(timeout).followRedirects(false)
                .addInterceptor(chain -> circuits.call(RPC, () -> chain.proceed(chain.request()),
                        response -> response.code(), response -> response.header("Retry-After")))
                .build();
        return Web3j.build(new HttpService(connection.rpcUrl(), http));
    }

    @Bean
    ChainIdCheck chainIdCheck(Web3j web3j, ChainConnection connection) {
        return new ChainIdCheck(web3j, connection);
    }

    /** Health component {@code chain}: the RPC node answering, and (when this instance reveals) the keeper's balance. */
    @Bean
    ChainHealth chainHealthIndicator(Web3j web3j, ChainConnection chain, Environment environment,
                                     @Value("${glisk.health.keeper-min-balance-eth:0.005}") BigDecimal minimumBalance,
                                     @Value("${glisk.health.cache-seconds:30}") long cacheSeconds) {
        return new ChainHealth(web3j, chain, environment.getProperty("glisk.stages.reveal.enabled", Boolean.class, true),
                minimumBalance, cacheSeconds * 1000);
    }

    /** The scheduler of the head poll and the receipt tick: a new one for each endpoint that names it. */
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    IdlePacedScheduler idlePacedScheduler(ChainPolls chainPolls) {
        return new IdlePacedScheduler(chainPolls);
    }

    @Bean
    ChainPolls chainPolls() {
        return new ChainPolls();
    }

    /** The node's pushed new blocks: CHAIN_WS_URL, or the built-in local node's own WebSocket endpoint. */
    @Bean
    @Conditional(HeadsPushed.class)
    ChainHeads chainHeads(ChainConnection connection, ChainSettings settings, ChainPolls chainPolls) {
        String url = settings.wsUrl() == null || settings.wsUrl().isBlank()
                ? connection.rpcUrl().replaceFirst("^http", "ws") : settings.wsUrl();
        return new ChainHeads(url, chainPolls);
    }

    /** Matches when there is a WebSocket endpoint to subscribe to: CHAIN_WS_URL, or local mode's own chain. */
    static final class HeadsPushed implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("glisk.chain.ws-url");
            return (url != null && !url.isBlank()) || RunMode.startsOwnChain(context.getEnvironment());
        }
    }

    @Bean
    GliskContract gliskContract(Web3j web3j, ChainConnection connection) {
        return new GliskContract(web3j, connection.contractAddress());
    }
}
