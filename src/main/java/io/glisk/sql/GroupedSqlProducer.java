package io.glisk.sql;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.SqlConstants;
import org.apache.camel.component.sql.SqlPrepareStatementStrategy;
import org.apache.camel.support.DefaultProducer;

/** Reads the exchange's parameter values (as camel-sql does) and has the group commit execute them. */
final class GroupedSqlProducer extends DefaultProducer {

    private final String query;
    private final SqlPrepareStatementStrategy parameters;
    private final GroupCommit commit;

    GroupedSqlProducer(GroupedSqlEndpoint endpoint, String query, SqlPrepareStatementStrategy parameters,
                       GroupCommit commit) {
        super(endpoint);
        this.query = query;
        this.parameters = parameters;
        this.commit = commit;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // the values are read here, from this exchange: whoever writes the batch only sets them
        Iterator<?> values = parameters.createPopulateIterator(query, commit.statement(), commit.parameterCount(), exchange,
                exchange.getMessage().getBody());
        List<Object> read = new ArrayList<>();
        values.forEachRemaining(read::add);
        exchange.getMessage().setHeader(SqlConstants.SQL_UPDATE_COUNT, commit.execute(read));
    }
}
