package io.glisk.claim;

import java.io.IOException;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Why an attempt of a stage failed, in the words the token's error and the log carry. A provider's refusal or
 * a transient failure says so itself; a connection error or timeout (an IOException from an HTTP endpoint) is
 * named after the provider the stage was calling (the route's {@code provider} variable), so one rule covers
 * every provider call instead of a try/catch around each. A failure of the database is never the provider's,
 * even when a socket error lies at its root: the error handlers tell them apart with {@link #notFromDatabase}.
 */
@Component("stageFailures")
public class StageFailures {

    /** The failure the error handler caught on this exchange. */
    public String describe(Exchange exchange) {
        return describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class),
                exchange.getVariable("provider", String.class));
    }

    // private: shared.camel.yaml calls "describe" by name, and Camel's bean binding would otherwise pick this
    // overload, with the message body as the provider
    private static String describe(Exception failure, String provider) {
        if (failure instanceof IOException) {
            return (provider == null ? "request failed: " : provider + " request failed: ") + failure;
        }
        return failure == null || failure.getMessage() == null ? String.valueOf(failure) : failure.getMessage();
    }

    /** Whether the exchange failed for a reason other than the database (the provider handlers' condition). */
    public boolean notFromDatabase(Exchange exchange) {
        Exception failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return !fromDatabase(failure);
    }

    static boolean fromDatabase(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessException || cause instanceof TransactionException
                    || cause instanceof SQLException) {
                return true;
            }
        }
        return false;
    }
}
