package io.glisk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.chain.ChainConnection;
import io.glisk.local.chain.LocalAccounts;
import io.glisk.support.PipelineTest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/** What Prometheus scrapes and what health says, as an operator reads them. */
@TestPropertySource(properties = {"glisk.stages.reveal.enabled=true", "glisk.health.cache-seconds=0"})
class ObservabilityTest extends PipelineTest {

    @Autowired
    ChainConnection chain;

    @Test
    void prometheusShowsTokensProvidersEventsAndRoutes() {
        detected(1, author("0x0B50000000000000000000000000000000000001", "observed"));
        awaitStatus(1, "ready");

        HttpResponse<String> scrape = admin("GET", "/actuator/prometheus", null);

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("glisk_tokens{status=\"ready\"} 1.0")
                .contains("glisk_tokens_oldest_age_seconds{status=\"ready\"}")
                .contains("glisk_provider_requests_seconds_count{outcome=\"2xx\",provider=\"replicate\"}")
                .contains("glisk_provider_requests_seconds_count{outcome=\"2xx\",provider=\"pinata\"}")
                .contains("glisk_provider_requests_seconds_count{outcome=\"2xx\",provider=\"image_host\"}")
                .contains("glisk_provider_requests_seconds_count{outcome=\"2xx\",provider=\"chain_rpc\"}")
                .contains("glisk_events_total{event=\"token.generation.succeeded\"}")
                .contains("glisk_events_total{event=\"ipfs.upload.succeeded\"}")
                .containsPattern("camel_exchanges_total\\{[^}]*routeId=\"generation\"");
    }

    @Test
    void healthNamesEachDependencyAndALowKeeperBalanceIsAWarningNotDown() throws Exception {
        JsonNode health = new ObjectMapper().readTree(admin("GET", "/actuator/health", null).body());

        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/replicate/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/pinata/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/chain/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/chain/details/keeper").asText()).isEqualToIgnoringCase(LocalAccounts.KEEPER.getAddress());

        new Request<>("anvil_setBalance", List.of(LocalAccounts.KEEPER.getAddress(), "0x1"), new HttpService(chain.rpcUrl()),
                VoidResponse.class).send();
        try {
            HttpResponse<String> response = admin("GET", "/actuator/health", null);
            JsonNode low = new ObjectMapper().readTree(response.body());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(low.get("status").asText()).isEqualTo("WARNING");
            assertThat(low.at("/components/chain/details/warning").asText()).startsWith("keeper balance below");
            // readiness is about serving requests: a low balance does not take the instance out
            assertThat(http("GET", "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        } finally {
            new Request<>("anvil_setBalance", List.of(LocalAccounts.KEEPER.getAddress(), "0x56BC75E2D63100000"),
                    new HttpService(chain.rpcUrl()), VoidResponse.class).send();
        }
    }
}
