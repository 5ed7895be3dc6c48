package io.glisk.events;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * Structured log events named as operators grep for them ({@code token.generation.succeeded}, …), with the
 * token's facts as key/value fields. Prompts and provider payloads are never logged: only ids, counts,
 * outcomes and reasons.
 */
@Component("events")
public class PipelineEvents {

    private static final Logger log = LoggerFactory.getLogger("glisk.events");
    /**
     * One counter per event name, looked up once: the registry's own look-up builds and hashes an id on every
     * call, twice a token per stage. The global registry's counters follow the registries added to it later.
     */
    private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();
    /** Exchange variables worth a field, and the field name they get. */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("prediction_id", "prediction_id"),
            Map.entry("censored", "censored"),
            Map.entry("image_cid", "image_cid"),
            Map.entry("metadata_cid", "metadata_cid"),
            Map.entry("failure", "error"),
            Map.entry("source", "source"),
            Map.entry("task_id", "task_id"),
            Map.entry("persona_key", "persona_key"),
            Map.entry("grid", "grid"),
            Map.entry("image_n", "image"),
            Map.entry("personas", "personas"),
            Map.entry("skipped", "skipped"),
            Map.entry("released_because", "reason"),
            Map.entry("resumes_at", "resumes_at"));

    public void info(String event, Exchange exchange) {
        emit(Level.INFO, event, exchange);
    }

    public void warn(String event, Exchange exchange) {
        emit(Level.WARN, event, exchange);
    }

    /** A log event, also counted in {@code glisk_events_total{event}} so dashboards see what the logs say. */
    public static LoggingEventBuilder event(Level level, String event) {
        COUNTERS.computeIfAbsent(event, name -> Metrics.counter("glisk.events", "event", name)).increment();
        return log.atLevel(level).setMessage(event).addKeyValue("event", event);
    }

    /**
     * What went wrong, in one line an operator can read: the innermost cause names the problem (a refused
     * connection, a constraint), where outer exceptions repeat the statement that failed. PostgreSQL's own lines
     * (Detail, Where) are kept, joined into that one line.
     */
    public static String failure(Throwable failure) {
        Throwable specific = NestedExceptionUtils.getMostSpecificCause(failure);
        String message = specific.getMessage() != null ? specific.getMessage() : failure.getMessage();
        return message != null ? message.strip().replaceAll("\\s*\\R\\s*", "; ") : failure.getClass().getSimpleName();
    }

    private void emit(Level level, String event, Exchange exchange) {
        event(level, event, exchange).log();
    }

    /** A log event with the facts of the exchange (its token or task, attempt, …) as fields, for more to be added. */
    public LoggingEventBuilder event(Level level, String event, Exchange exchange) {
        LoggingEventBuilder builder = event(level, event);
        Object tokenId = exchange.getVariable("token_id");
        if (tokenId != null) {
            builder = builder.addKeyValue("token_id", tokenId);
        }
        for (Map.Entry<String, Object> variable : exchange.getVariables().entrySet()) {
            String name = variable.getKey();
            if (name.equals("attempts")) {
                builder = builder.addKeyValue("attempt", variable.getValue());
            } else if (FIELDS.containsKey(name) && variable.getValue() != null) {
                builder = builder.addKeyValue(FIELDS.get(name), variable.getValue());
            }
        }
        if (exchange.getVariable("subject") instanceof EventFields subject) {
            for (Map.Entry<String, Object> field : subject.eventFields().entrySet()) {
                builder = builder.addKeyValue(field.getKey(), field.getValue());
            }
        }
        Long claimedAt = exchange.getVariable("claimed_at", Long.class);
        if (claimedAt != null) {
            builder = builder.addKeyValue("duration_ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - claimedAt));
        }
        return builder;
    }
}
