package io.glisk.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.glisk.chain.ChainConnection;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The pipeline reads and writes its chain through this RPC node, a proxy (WireMock) that a test can make fail
 * or lag with higher-priority stubs, like a real RPC provider. It runs as long as the pipeline: it is stopped
 * when its context closes.
 */
@TestConfiguration
public class FlakyNode {

    @Bean(destroyMethod = "stop")
    WireMockServer flakyNode(ChainConnection chain) {
        WireMockServer node = new WireMockServer(options().dynamicPort());
        node.start();
        node.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(chain.rpcUrl())));
        return node;
    }

    @Bean
    @Primary
    Web3j web3jThroughFlakyNode(WireMockServer flakyNode) {
        return Web3j.build(new HttpService(flakyNode.baseUrl()));
    }
}
