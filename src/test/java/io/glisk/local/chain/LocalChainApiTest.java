package io.glisk.local.chain;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.glisk.GliskApplication;
import io.glisk.chain.ChainConnection;
import io.glisk.support.FreePorts;
import io.glisk.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * GET /api/local/chain gives the built-in anvil's URL whole, but never an RPC_URL configured from outside: a
 * provider's URL carries its API key (https://base-mainnet.g.alchemy.com/v2/&lt;key&gt;). The external chain here is
 * the first instance's anvil behind a proxy that only answers on /v2/&lt;key&gt;, as such a provider does.
 */
@ExtendWith(OutputCaptureExtension.class)
class LocalChainApiTest {

    static final String KEY = "AlchemyKey_7c1e5d9b";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] CHAIN_STAGES_ONLY = {"--glisk.mode=local", "--spring.datasource.username=postgres",
            "--glisk.stages.generation.enabled=false", "--glisk.stages.ipfs.enabled=false",
            "--glisk.stages.detection.enabled=false", "--spring.jmx.enabled=false", "--camel.main.jmx-enabled=false"};

    private static ConfigurableApplicationContext start(Map<String, Object> environment) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addAfter(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource("testEnvironment", environment));
        List<String> args = new ArrayList<>(List.of(CHAIN_STAGES_ONLY));
        args.add("--spring.datasource.url=" + TestDatabase.newDatabase());
        args.add("--server.port=" + FreePorts.next());
        args.add("--LOCAL_CHAIN_PORT=" + FreePorts.next());
        args.add("--GLISK_LOCAL_EPHEMERAL=true");
        return new SpringApplicationBuilder(GliskApplication.class).environment(env).run(args.toArray(String[]::new));
    }

    private static HttpResponse<String> call(ConfigurableApplicationContext app, String method, String path, String body)
            throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + app.getEnvironment().getProperty("local.server.port") + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theBuiltInAnvilIsShownWholeAndAnExternalRpcUrlOnlyByItsOrigin(CapturedOutput output) throws Exception {
        WireMockServer provider = new WireMockServer(options().dynamicPort());
        try (ConfigurableApplicationContext owner = start(Map.of())) {
            ChainConnection anvil = owner.getBean(ChainConnection.class);

            JsonNode own = JSON.readTree(call(owner, "GET", "/api/local/chain", null).body());

            assertThat(own.get("rpcUrl").asText()).isEqualTo(anvil.rpcUrl()).startsWith("http://127.0.0.1:");
            assertThat(own.get("rpcUrlRedacted").asBoolean()).isFalse();
            assertThat(own.get("chainId").asLong()).isEqualTo(31337);
            assertThat(own.has("note")).isFalse();

            provider.start();
            provider.stubFor(post(urlPathEqualTo("/v2/" + KEY)).willReturn(aResponse().proxiedFrom(anvil.rpcUrl())
                    .withProxyUrlPrefixToRemove("/v2/" + KEY)));
            String rpcUrl = provider.baseUrl() + "/v2/" + KEY;
            try (ConfigurableApplicationContext guest = start(Map.of("RPC_URL", rpcUrl, "CHAIN_ID", "31337",
                    "GLISK_NFT_CONTRACT_ADDRESS", anvil.contractAddress(),
                    "KEEPER_PRIVATE_KEY", anvil.keeperPrivateKey().value()))) {

                HttpResponse<String> answer = call(guest, "GET", "/api/local/chain", null);

                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).doesNotContain(KEY).doesNotContain("/v2");
                JsonNode external = JSON.readTree(answer.body());
                assertThat(external.get("rpcUrl").asText()).isEqualTo("http://localhost:" + provider.port());
                assertThat(external.get("rpcUrlRedacted").asBoolean()).isTrue();
                assertThat(external.get("note").asText()).contains("RPC_URL");
                assertThat(external.get("chainId").asLong()).isEqualTo(31337);
                assertThat(external.get("contractAddress").asText()).isEqualTo(anvil.contractAddress());
                // the service itself still uses the whole URL (the proxy answers nowhere else)
                assertThat(call(guest, "POST", "/api/local/mint", "{\"quantity\": 1}").statusCode()).isEqualTo(200);
                // and neither the banner nor any other log line named it
                assertThat(output.getAll()).doesNotContain(KEY).contains("RPC_URL http://localhost:" + provider.port());
            }
        } finally {
            provider.stop();
        }
    }
}
