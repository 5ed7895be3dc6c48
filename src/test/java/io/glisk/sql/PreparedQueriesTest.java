package io.glisk.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.glisk.support.PipelineTest;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every statement of the routes is prepared once and then remembered, and what is remembered is exactly what
 * camel-sql would have prepared; a statement with an IN list is prepared for each message's values.
 */
class PreparedQueriesTest extends PipelineTest {

    @Autowired
    CamelContext camel;

    @Test
    void everyStatementIsPreparedAsCamelSqlWouldAndRemembered() throws Exception {
        List<SqlEndpoint> statements = camel.getEndpoints().stream()
                .filter(SqlEndpoint.class::isInstance).map(SqlEndpoint.class::cast).toList();
        assertThat(statements).hasSizeGreaterThan(20);
        Exchange exchange = new DefaultExchange(camel);
        for (SqlEndpoint sql : statements) {
            assertThat(sql.getPrepareStatementStrategy()).as(sql.getEndpointUri())
                    .isInstanceOf(PreparedQueries.Remembered.class);
            String query = sql.getQuery().replace(":#", ":?");
            String expected = new DefaultSqlPrepareStatementStrategy(sql.getSeparator()).prepareQuery(query, true, exchange);
            String first = sql.getPrepareStatementStrategy().prepareQuery(query, true, exchange);
            assertThat(first).as(sql.getEndpointUri()).isEqualTo(expected);
            assertThat(sql.getPrepareStatementStrategy().prepareQuery(query, true, exchange)).isSameAs(first);
        }
    }

    @Test
    void anInListIsPreparedForEachMessagesValues() throws Exception {
        var strategy = new PreparedQueries.Remembered(',');
        String query = "SELECT * FROM tokens_s0 WHERE token_id IN (:?in:ids) AND status = :?status";
        Exchange three = new DefaultExchange(camel);
        three.setVariable("ids", List.of(1, 2, 3));
        Exchange one = new DefaultExchange(camel);
        one.setVariable("ids", List.of(7));
        assertThat(strategy.prepareQuery(query, true, three))
                .isEqualTo("SELECT * FROM tokens_s0 WHERE token_id IN (?,?,?) AND status = ?");
        assertThat(strategy.prepareQuery(query, true, one))
                .isEqualTo("SELECT * FROM tokens_s0 WHERE token_id IN (?) AND status = ?");
    }
}
