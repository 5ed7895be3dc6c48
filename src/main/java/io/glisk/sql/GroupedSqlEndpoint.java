package io.glisk.sql;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.component.sql.SqlHelper;
import org.apache.camel.component.sql.SqlPrepareStatementStrategy;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

@UriEndpoint(scheme = "grouped-sql", title = "Grouped SQL", syntax = "grouped-sql:query", producerOnly = true,
        category = {org.apache.camel.Category.DATABASE})
public class GroupedSqlEndpoint extends DefaultEndpoint {

    private final SqlEndpoint statement;

    GroupedSqlEndpoint(String uri, GroupedSqlComponent component, SqlEndpoint statement) {
        super(uri, component);
        this.statement = statement;
    }

    @Override
    public Producer createProducer() throws Exception {
        String query = SqlHelper.resolveQuery(getCamelContext(), statement.getQuery(),
                statement.isUsePlaceholder() ? statement.getPlaceholder() : null);
        if (query.contains(":#in:") || query.contains(":?in:")) {
            throw new IllegalArgumentException(getEndpointUri() + ": an IN list varies per message, it cannot be grouped");
        }
        SqlPrepareStatementStrategy parameters = statement.getPrepareStatementStrategy() != null
                ? statement.getPrepareStatementStrategy()
                : new DefaultSqlPrepareStatementStrategy(statement.getSeparator());
        int count = statement.getParametersCount() > 0 ? statement.getParametersCount() : SqlParameterCounts.count(statement);
        // with no IN list, the JDBC statement depends on the text alone, not on a message
        String jdbc = parameters.prepareQuery(query, statement.isAllowNamedParameters(), null);
        return new GroupedSqlProducer(this, query, parameters,
                new GroupCommit(statement.getJdbcTemplate(), jdbc, parameters, count));
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("grouped-sql: endpoints only produce");
    }
}
