package io.glisk.sql;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.URISupport;
import org.springframework.stereotype.Component;

/**
 * {@code grouped-sql:<statement>} — camel-sql's {@code sql:} producer for a statement many exchanges of a stage
 * run at the same moment (a token's finish): their executions are committed together, one transaction and one
 * round trip for all that arrived while the previous one was written, instead of one each. Same statement
 * text, same named parameters, same {@code CamelSqlUpdateCount} header, same errors; options are camel-sql's.
 */
@Component("grouped-sql")
public class GroupedSqlComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String options = parameters.isEmpty() ? "" : "?" + URISupport.createQueryString(parameters);
        parameters.clear();
        // camel-sql reads the statement, finds the data source and prepares the parameters as for any sql: endpoint
        SqlEndpoint statement = getCamelContext().getEndpoint("sql:" + remaining + options, SqlEndpoint.class);
        return new GroupedSqlEndpoint(uri, this, statement);
    }
}
