package io.glisk.claim;

import io.glisk.ops.PipelineEvents;
import io.glisk.provider.ProviderAnswers;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.event.Level;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Runs before each redelivery of a stage's work (as the error handler's {@code onRedelivery}): counts the
 * attempt in the database before it starts — so a restart never resets the count — and logs the retry.
 * The stage's statement gets :tokenId, :owner and :error and returns the new attempt count, or no row when
 * the lease is no longer ours, in which case the work stops without touching the token.
 */
public class AttemptRecorder implements Processor {

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final String statement;
    private final String attemptsVariable;
    private final String event;

    public AttemptRecorder(NamedParameterJdbcTemplate jdbc, SqlResources sql, String statement,
                           String attemptsVariable, String event) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.statement = statement;
        this.attemptsVariable = attemptsVariable;
        this.event = event;
    }

    @Override
    public void process(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String error = cause == null || cause.getMessage() == null ? String.valueOf(cause)
                : ProviderAnswers.shorten(cause.getMessage());
        Object tokenId = exchange.getVariable("token_id");
        List<Integer> attempts;
        try {
            attempts = jdbc.queryForList(sql.load(statement), new MapSqlParameterSource()
                    .addValue("tokenId", tokenId)
                    .addValue("owner", exchange.getVariable("lease_owner"))
                    .addValue("error", error), Integer.class);
        } catch (RuntimeException e) {
            // cannot count the attempt, so do not make it: the claim mechanism lets go of the token
            exchange.setRouteStop(true);
            throw e;
        }
        if (attempts.isEmpty()) {
            PipelineEvents.event(Level.WARN, "claim.lease_lost").addKeyValue("token_id", tokenId).log();
            exchange.setRouteStop(true);
            return;
        }
        exchange.setVariable(attemptsVariable, attempts.get(0));
        PipelineEvents.event(Level.INFO, event).addKeyValue("token_id", tokenId)
                .addKeyValue("attempt", attempts.get(0)).addKeyValue("error", error).log();
    }
}
