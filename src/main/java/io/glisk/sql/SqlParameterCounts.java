package io.glisk.sql;

import java.util.List;
import org.apache.camel.Endpoint;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.component.sql.SqlHelper;
import org.apache.camel.component.sql.SqlPrepareStatementStrategy;
import org.apache.camel.support.LifecycleStrategySupport;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;
import org.springframework.stereotype.Component;

/**
 * Unless told how many parameters a statement has, camel-sql asks the JDBC driver before every execution, and the
 * PostgreSQL driver asks the server, which parses the statement once more: a round trip and a parse per token
 * for each statement that finishes one. Every {@code sql:} endpoint is told its count once, when it is created,
 * counted as the driver counts (comments, string literals and dollar quotes skipped). A statement with an IN list
 * ({@code :#in:}) varies in length and is left to camel-sql's own question.
 */
@Component
class SqlParameterCounts extends LifecycleStrategySupport {

    @Override
    public void onEndpointAdd(Endpoint endpoint) {
        if (endpoint instanceof SqlEndpoint sql && sql.getParametersCount() == 0) {
            int count = count(sql);
            if (count > 0) {
                sql.setParametersCount(count);
            }
        }
    }

    /** The statement's JDBC parameters, or 0 when they are not known before it runs. */
    static int count(SqlEndpoint sql) {
        try {
            String jdbc = jdbcStatement(sql);
            if (jdbc == null) {
                return 0;
            }
            List<NativeQuery> statements = Parser.parseJdbcSql(jdbc, true, true, false, false, false);
            return statements.size() == 1 ? statements.get(0).bindPositions.length : 0;
        } catch (Exception e) {
            // a statement the endpoint cannot read fails when its route starts, with camel-sql's own message
            return 0;
        }
    }

    /** The statement as camel-sql hands it to JDBC (named parameters replaced by ?), or null for an IN list. */
    static String jdbcStatement(SqlEndpoint sql) throws Exception {
        String query = SqlHelper.resolveQuery(sql.getCamelContext(), sql.getQuery(),
                sql.isUsePlaceholder() ? sql.getPlaceholder() : null);
        if (query.contains(":#in:")) {
            return null;
        }
        // the strategy camel-sql's producer falls back to when the endpoint names none
        SqlPrepareStatementStrategy strategy = sql.getPrepareStatementStrategy() != null
                ? sql.getPrepareStatementStrategy() : new DefaultSqlPrepareStatementStrategy(sql.getSeparator());
        return strategy.prepareQuery(query, sql.isAllowNamedParameters(), null);
    }
}
