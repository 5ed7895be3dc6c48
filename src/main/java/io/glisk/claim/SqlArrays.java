package io.glisk.claim;

import org.springframework.jdbc.core.support.AbstractSqlTypeValue;

/**
 * A PostgreSQL array parameter. Passing a Java array straight to NamedParameterJdbcTemplate would expand it
 * into a comma-separated list (meant for IN (…)), not bind one array value.
 */
public final class SqlArrays {

    private SqlArrays() {
    }

    public static AbstractSqlTypeValue of(String elementType, Object[] values) {
        return new AbstractSqlTypeValue() {
            @Override
            protected Object createTypeValue(java.sql.Connection connection, int sqlType, String typeName)
                    throws java.sql.SQLException {
                return connection.createArrayOf(elementType, values);
            }
        };
    }
}
