package io.glisk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.chain.ChainConnection;
import io.glisk.local.chain.LocalAccounts;
import io.glisk.support.PipelineTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/** What Prometheus scrapes and what health says, as an operator reads them. */
@TestPropertySource(properties = {"glisk.stages.reveal.enabled=true", "glisk.health.cache-seconds=0", "glisk.reveal.wait-millis=200"})
class ObservabilityTest extends PipelineTest {

    @Autowired
    ChainConnection chain;

    @Test
    void prometheusShowsTokensProvidersEventsRoutesAndRevealGasAndTheDashboardUsesOnlyWhatItShows() throws Exception {
        // an answer that did not wait names the output's URL (one that waited holds the image): downloads are measured
        replicate.setWaitMillis(0);
        HttpResponse<String> mint = http("POST", "/api/local/mint", "{\"quantity\": 2, \"prompt\": \"observed\"}"
                .getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertThat(mint.statusCode()).as(mint.body()).isEqualTo(200);
        long first = new ObjectMapper().readTree(mint.body()).get("startTokenId").asLong();
        awaitStatus(first, "revealed");
        awaitStatus(first + 1, "revealed");

        HttpResponse<String> scrape = admin("GET", "/actuator/prometheus", null);

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("glisk_tokens{status=\"revealed\"} 2.0")
                .contains("glisk_tokens_oldest_age_seconds{status=\"revealed\"}")
                .contains("glisk_provider_requests_seconds_count{outcome=\"2xx\",provider=\"replicate\"}")
                .contains("glisk_provider_requests_seconds_count{outcome=\"2xx\",provider=\"pinata\"}")
                .contains("glisk_provider_requests_seconds_count{outcome=\"2xx\",provider=\"image_host\"}")
                .contains("glisk_provider_requests_seconds_count{outcome=\"2xx\",provider=\"chain_rpc\"}")
                .contains("glisk_events_total{event=\"token.generation.succeeded\"} 2.0")
                .contains("glisk_events_total{event=\"ipfs.upload.succeeded\"} 2.0")
                .contains("glisk_reveal_tokens_per_transaction_sum 2.0")
                .containsPattern("camel_exchanges_total\\{[^}]*routeId=\"generation\"");

        // every series the Grafana dashboard queries is one the service exports
        Set<String> exported = scrape.body().lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.replaceAll("[{ ].*", "")).collect(Collectors.toSet());
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("deploy/grafana/dashboards/glisk-pipeline.json").toFile());
        List<String> queried = dashboard.findValues("expr").stream()
                .flatMap(expr -> Pattern.compile("\\b(?:glisk|camel)_[a-z_]+").matcher(expr.asText()).results().map(MatchResult::group))
                .distinct().toList();
        assertThat(queried).hasSizeGreaterThan(10).allSatisfy(metric -> assertThat(exported).as(metric).contains(metric));
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
