package dev.sluice.connectors.jdbc;

import static dev.sluice.connectors.jdbc.JdbcSourceColumn.Kind;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Types;
import org.junit.jupiter.api.Test;

class JdbcSourceColumnTest {

    @Test
    void columnTypesMapAsDocumented() {
        assertThat(kind(Types.BIT, "bool", 1)).isEqualTo(Kind.BOOLEAN);
        assertThat(kind(Types.BIT, "bit", 8)).isEqualTo(Kind.STRING);
        assertThat(JdbcSourceColumn.kindOf(Types.BIT, "bit", 8, 0, true, JdbcDialect.MARIADB))
                .isEqualTo(Kind.BYTES);
        assertThat(kind(Types.SMALLINT, "int2", 5)).isEqualTo(Kind.INT);
        assertThat(kind(Types.BIGINT, "int8", 19)).isEqualTo(Kind.LONG);
        assertThat(
                        JdbcSourceColumn.kindOf(
                                Types.BIGINT,
                                "integer unsigned",
                                10,
                                0,
                                false,
                                JdbcDialect.MARIADB))
                .isEqualTo(Kind.LONG);
        assertThat(
                        JdbcSourceColumn.kindOf(
                                Types.BIGINT, "bigint unsigned", 20, 0, false, JdbcDialect.MARIADB))
                .isEqualTo(Kind.DECIMAL);
        assertThat(kind(Types.NUMERIC, "numeric", 10)).isEqualTo(Kind.DECIMAL);
        assertThat(kind(Types.NUMERIC, "numeric", 0)).isEqualTo(Kind.UNBOUNDED_DECIMAL);
        assertThat(kind(Types.DOUBLE, "money", 0)).isEqualTo(Kind.STRING);
        assertThat(kind(Types.TIME, "timetz", 15)).isEqualTo(Kind.STRING);
        assertThat(kind(Types.TIMESTAMP, "timestamptz", 35)).isEqualTo(Kind.TIMESTAMP);
        assertThat(kind(Types.TIMESTAMP, "timestamp", 29)).isEqualTo(Kind.LOCAL_TIMESTAMP);
        assertThat(kind(Types.BINARY, "bytea", 0)).isEqualTo(Kind.BYTES);
        assertThat(kind(Types.OTHER, "uuid", 0)).isEqualTo(Kind.STRING);
        assertThat(kind(Types.OTHER, "jsonb", 0)).isEqualTo(Kind.STRING);
        assertThat(kind(Types.ARRAY, "_int4", 0)).isEqualTo(Kind.STRING);
    }

    private static Kind kind(int sqlType, String typeName, int precision) {
        return JdbcSourceColumn.kindOf(sqlType, typeName, precision, 0, true, JdbcDialect.POSTGRES);
    }
}
