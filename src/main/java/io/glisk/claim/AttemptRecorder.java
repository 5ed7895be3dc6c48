package io.glisk.claim;

import io.glisk.events.PipelineEvents;
import io.glisk.provider.ProviderAnswers;
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
 * (event {@code retry_event}, or {@code token.<stage>.retry}). The stage's {@code sql/<stage>/retrying.sql}
 * gets :tokenId, :owner and :error and returns the new attempt count, or no row when the lease is no longer
 * ours, in which case the work stops without touching the token.
 */
@Component("stageAttempts")
public class AttemptRecorder implements Processor {

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final StageFailures failures;

    AttemptRecorder(NamedParameterJdbcTemplate jdbc, SqlResources sql, StageFailures failures) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.failures = failures;
    }

    @Override
    public void process(Exchange exchange) {
        String error = ProviderAnswers.shorten(failures.describe(exchange));
        String stage = exchange.getVariable("stage", String.class);
        Object tokenId = exchange.getVariable("token_id");
        List<Integer> attempts;
        try {
            attempts = jdbc.queryForList(sql.load("sql/" + stage + "/retrying.sql"), new MapSqlParameterSource()
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
        PipelineEvents.event(Level.INFO, exchange.getVariable("retry_event", "token." + stage + ".retry", String.class))
                .addKeyValue("token_id", tokenId).addKeyValue("attempt", attempts.get(0)).addKeyValue("error", error).log();
    }
}
