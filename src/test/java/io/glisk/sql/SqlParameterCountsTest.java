package io.glisk.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.glisk.support.PipelineTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.sql.SqlEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every statement of the packaged routes is told its parameter count up front, and the count is the one
 * PostgreSQL itself gives: a wrong count would fail each execution of the statement with "Number of parameters
 * mismatch", a missing one costs a round trip and a parse per execution.
 */
class SqlParameterCountsTest extends PipelineTest {

    @Autowired
    CamelContext camel;
    @Autowired
    DataSource dataSource;

    @Test
    void everyStatementOfTheRoutesKnowsItsParametersAsTheDatabaseCountsThem() throws Exception {
        List<SqlEndpoint> statements = camel.getEndpoints().stream()
                .filter(SqlEndpoint.class::isInstance).map(SqlEndpoint.class::cast)
                .filter(sql -> !sql.getEndpointUri().contains("sql-counts")).toList();
        assertThat(statements).hasSizeGreaterThan(20);
        Map<String, Integer> told = new TreeMap<>();
        Map<String, Integer> counted = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (SqlEndpoint sql : statements) {
                String jdbc = SqlParameterCounts.jdbcStatement(sql);
                try (PreparedStatement ps = c.prepareStatement(jdbc)) {
                    counted.put(sql.getEndpointUri(), ps.getParameterMetaData().getParameterCount());
                }
                told.put(sql.getEndpointUri(), sql.getParametersCount());
            }
        }
        assertThat(told).isEqualTo(counted);
        assertThat(told.values()).anyMatch(n -> n > 5);
    }

    @Test
    void commentsLiteralsAndDollarQuotesAreNotParameters() {
        SqlEndpoint sql = camel.getEndpoint("sql:classpath:sql/generation/failed.sql", SqlEndpoint.class);
        assertThat(SqlParameterCounts.count(sql)).isEqualTo(4);
        SqlEndpoint tricky = camel.getEndpoint("sql:classpath:sql-counts/tricky.sql", SqlEndpoint.class);
        assertThat(tricky.getParametersCount()).isEqualTo(3);
    }
}
