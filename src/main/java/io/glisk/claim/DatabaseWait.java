package io.glisk.claim;

import io.glisk.events.PipelineEvents;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.event.Level;
import org.springframework.stereotype.Component;

/**
 * Runs before a stage's step is tried again because the database did not answer (the shared error handler's
 * {@code onRedelivery} for database failures): says once per exchange that the token's work waits for the
 * database ({@code stage.waiting_for_database}), however many tries the wait takes.
 */
@Component("stageDatabaseWait")
public class DatabaseWait implements Processor {

    private static final String NOTED = "glisk.waitingForDatabase";

    @Override
    public void process(Exchange exchange) {
        if (exchange.getProperty(NOTED) == null) {
            exchange.setProperty(NOTED, true);
            Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            PipelineEvents.event(Level.WARN, "stage.waiting_for_database")
                    .addKeyValue("stage", exchange.getVariable("stage"))
                    .addKeyValue("token_id", exchange.getVariable("token_id"))
                    .addKeyValue("error", caught == null ? null : PipelineEvents.failure(caught)).log();
        }
    }
}
