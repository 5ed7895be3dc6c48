package io.glisk.claim;

import io.glisk.events.PipelineEvents;
import io.glisk.provider.ProviderAnswers;
import io.glisk.provider.ProviderUnavailable;
import io.glisk.sql.SqlResources;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.event.Level;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Runs before each redelivery of a stage's work (the shared error handler's {@code onRedelivery}): counts
 * the attempt in the database before it starts — so a restart never resets the count — and logs the retry
 * (event {@code retry_event}, or {@code token.<stage>.retry}). The statement — {@code retry_sql}, or the stage's
 * {@code sql/<stage>/retrying.sql} — gets :tokenId, :leaseId, :error and every exchange variable by its name, and
 * returns the new attempt count, or no row when the lease is no longer ours, in which case the work stops
 * without touching the row.
 *
 * <p>A call refused because its provider is down or throttling ({@link ProviderUnavailable}) is no attempt, and is
 * not counted even when a route's wait for the provider has no {@code onRedelivery} of its own: Camel keeps the
 * {@code onRedelivery} of the last exception policy that had one for the rest of the exchange's redeliveries, so
 * after one server error every wait for an open circuit would otherwise be counted as a retry.
 */
@Component("stageAttempts")
public class AttemptRecorder implements Processor {

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final StageFailures failures;
    private final PipelineEvents events;

    AttemptRecorder(NamedParameterJdbcTemplate jdbc, SqlResources sql, StageFailures failures, PipelineEvents events) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.failures = failures;
        this.events = events;
    }

    @Override
    public void process(Exchange exchange) {
        if (exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof ProviderUnavailable) {
            return;
        }
        String error = ProviderAnswers.shorten(failures.describe(exchange));
        String stage = exchange.getVariable("stage", String.class);
        Object tokenId = exchange.getVariable("token_id");
        List<Integer> attempts;
        try {
            // the exchange's variables are parameters by their own names too, for statements about other rows
            attempts = jdbc.queryForList(sql.load(exchange.getVariable("retry_sql", "sql/" + stage + "/retrying.sql",
                    String.class)), new MapSqlParameterSource(exchange.getVariables())
                    .addValue("tokenId", tokenId)
                    .addValue("leaseId", exchange.getVariable("lease_id"))
                    .addValue("error", error), Integer.class);
        } catch (RuntimeException e) {
            // cannot count the attempt, so do not make it: the claim mechanism lets go of the token
            exchange.setRouteStop(true);
            throw e;
        }
        if (attempts.isEmpty()) {
            PipelineEvents.event(Level.WARN, "claim.lease_lost").addKeyValue("stage", stage)
                    .addKeyValue("token_id", tokenId).log();
            exchange.setRouteStop(true);
            return;
        }
        exchange.setVariable("attempts", attempts.get(0));
        events.event(Level.INFO, exchange.getVariable("retry_event", "token." + stage + ".retry", String.class), exchange)
                .addKeyValue("error", error).log();
    }
}
