package io.glisk.sql;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.support.LifecycleStrategySupport;
import org.springframework.stereotype.Component;

/**
 * camel-sql turns a statement's named parameters into JDBC's {@code ?} with regular expressions run over the whole
 * statement, comments included, before every execution: about 4 % of the generation stage's JVM samples. The answer
 * depends on the statement's text alone (unless it has an IN list, whose length varies), so every {@code sql:}
 * endpoint gets camel-sql's own preparation, remembered per statement.
 */
@Component
class PreparedQueries extends LifecycleStrategySupport {

    @Override
    public void onEndpointAdd(Endpoint endpoint) {
        if (endpoint instanceof SqlEndpoint sql && sql.getPrepareStatementStrategy() == null) {
            sql.setPrepareStatementStrategy(new Remembered(sql.getSeparator()));
        }
    }

    static final class Remembered extends DefaultSqlPrepareStatementStrategy {

        /** A route's statements are fixed; a statement made per message (a header) is not worth keeping. */
        private static final int MAX_STATEMENTS = 64;

        private final Map<String, String> prepared = new ConcurrentHashMap<>();
        private final Map<String, Boolean> named = new ConcurrentHashMap<>();

        Remembered(char separator) {
            super(separator);
        }

        @Override
        public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
            if (!allowNamedParameters || query.contains(":?in:")) {
                return super.prepareQuery(query, allowNamedParameters, exchange);
            }
            String known = prepared.get(query);
            return known != null ? known : remember(prepared, query, super.prepareQuery(query, true, exchange));
        }

        @Override
        protected boolean hasNamedParameters(String query) {
            Boolean known = named.get(query);
            return known != null ? known : remember(named, query, super.hasNamedParameters(query));
        }

        private static <V> V remember(Map<String, V> answers, String query, V answer) {
            if (answers.size() < MAX_STATEMENTS) {
                answers.put(query, answer);
            }
            return answer;
        }
    }
}
