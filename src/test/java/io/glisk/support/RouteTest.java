package io.glisk.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.glisk.claim.AttemptLedger;
import io.glisk.events.PipelineEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;

/**
 * The packaged YAML routes in a bare Camel context — no Spring, no database, no provider — so that a change of
 * error policy is checked in milliseconds. A test names the route files it loads; the context starts only once
 * the test has replaced the claim consumers and the SQL and HTTP endpoints (AdviceWith, by the step ids the
 * routes carry) and bound its doubles for the beans the routes call.
 */
public abstract class RouteTest extends CamelTestSupport {

    /** Short enough to retry in milliseconds, long enough to be told apart from no wait at all. */
    protected static final long INITIAL_DELAY_MILLIS = 10;
    protected static final long MAX_DELAY_MILLIS = 150;
    protected static final int MAX_ATTEMPTS = 3;

    /** Files under classpath:routes/ that this test loads. */
    protected abstract String[] routeFiles();

    /** The settings the routes read; a test adds its stage's. */
    protected Properties settings() {
        Properties settings = new Properties();
        settings.put("glisk.retry.max-attempts", String.valueOf(MAX_ATTEMPTS));
        settings.put("glisk.retry.initial-delay-millis", String.valueOf(INITIAL_DELAY_MILLIS));
        settings.put("glisk.retry.max-delay-millis", String.valueOf(MAX_DELAY_MILLIS));
        settings.put("glisk.worker.batch-size", "10");
        for (String stage : new String[] {"detection", "generation", "ipfs", "reveal"}) {
            settings.put("glisk.stages." + stage + ".enabled", "true");
        }
        return settings;
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.withUseOverridePropertiesWithPropertiesComponent(settings());
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<Resource> files = new ArrayList<>();
        for (String file : routeFiles()) {
            files.add(ResourceHelper.resolveMandatoryResource(context, "classpath:routes/" + file));
        }
        return PluginHelper.getRoutesLoader(context).findRoutesBuilders(files).toArray(RoutesBuilder[]::new);
    }

    /**
     * Binds what the shared error handling of the token stages calls (stageRetries, stageRetryDelay, stageFailures
     * and stageAttempts, see {@link AttemptLedger}) and the events bean; answers the in-memory attempt column.
     */
    protected AttemptLedger bindTokenStageBeans(Registry registry) {
        registry.bind("events", new PipelineEvents());
        return AttemptLedger.bindStageBeans(registry,
                context.getExecutorServiceManager().newScheduledThreadPool(this, "stage-retry", 4), MAX_DELAY_MILLIS);
    }

    /** Variable {@code name} of the one exchange {@code endpoint} received. */
    protected static String variableOf(MockEndpoint endpoint, String name) {
        assertThat(endpoint.getReceivedExchanges()).hasSize(1);
        return endpoint.getReceivedExchanges().get(0).getVariable(name, String.class);
    }

    /**
     * Hands {@code stage}'s route one claimed row, as the claim consumer does (its columns and the claim's facts
     * as exchange variables); returns once the exchange is done, retries included.
     */
    protected void claimed(String stage, Map<String, Object> row) {
        template.send("direct:" + stage, exchange -> {
            row.forEach(exchange::setVariable);
            exchange.setVariable("stage", stage);
            exchange.setVariable("lease_owner", "route-test");
            exchange.getMessage().setBody(row);
        });
    }
}
