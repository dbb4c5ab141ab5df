package dev.sluice.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

class JdbcTypesTest {

    private static final Schema INT = Schema.create(Schema.Type.INT);
    private static final Schema LONG = Schema.create(Schema.Type.LONG);
    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
    private static final Schema DECIMAL_10_2 =
            LogicalTypes.decimal(10, 2).addToSchema(Schema.create(Schema.Type.BYTES));
    private static final Schema TS_MILLIS =
            LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    private static final Schema LOCAL_TS =
            LogicalTypes.localTimestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    private static final Schema DATE =
            LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));

    private static JdbcColumn column(int type, String name, int size, int scale) {
        return new JdbcColumn("c", type, name, size, scale, true, false, false);
    }

    private static final JdbcColumn INTEGER = column(Types.INTEGER, "int4", 10, 0);
    private static final JdbcColumn SMALLINT = column(Types.SMALLINT, "int2", 5, 0);
    private static final JdbcColumn BIGINT = column(Types.BIGINT, "int8", 19, 0);
    private static final JdbcColumn VARCHAR_5 = column(Types.VARCHAR, "varchar", 5, 0);
    private static final JdbcColumn TEXT = column(Types.VARCHAR, "text", Integer.MAX_VALUE, 0);
    private static final JdbcColumn NUMERIC_8_2 = column(Types.NUMERIC, "numeric", 8, 2);
    private static final JdbcColumn NUMERIC_12_2 = column(Types.NUMERIC, "numeric", 12, 2);
    private static final JdbcColumn NUMERIC = column(Types.NUMERIC, "numeric", 0, 0);
    private static final JdbcColumn TIMESTAMPTZ = column(Types.TIMESTAMP, "timestamptz", 35, 6);
    private static final JdbcColumn TIMESTAMP = column(Types.TIMESTAMP, "timestamp", 29, 6);
    private static final JdbcColumn PG_BOOL = column(Types.BIT, "bool", 1, 0);
    private static final JdbcColumn UUID_COL = column(Types.OTHER, "uuid", 2147483647, 0);
    private static final JdbcColumn JSONB = column(Types.OTHER, "jsonb", 2147483647, 0);

    @Test
    void columnsHoldFieldsOnlyWhenEveryValueFits() {
        assertThat(JdbcTypes.canHold(INT, INTEGER)).isTrue();
        assertThat(JdbcTypes.canHold(INT, BIGINT)).isTrue();
        assertThat(JdbcTypes.canHold(INT, SMALLINT)).isFalse();
        assertThat(JdbcTypes.canHold(LONG, INTEGER)).isFalse();
        assertThat(JdbcTypes.canHold(LONG, NUMERIC)).isTrue();
        assertThat(JdbcTypes.canHold(STRING, VARCHAR_5)).isTrue();
        assertThat(JdbcTypes.canHold(STRING, INTEGER)).isFalse();
        assertThat(JdbcTypes.canHold(STRING, UUID_COL)).isTrue();
        assertThat(JdbcTypes.canHold(DECIMAL_10_2, NUMERIC_8_2)).isFalse();
        assertThat(JdbcTypes.canHold(DECIMAL_10_2, NUMERIC_12_2)).isTrue();
        assertThat(JdbcTypes.canHold(DECIMAL_10_2, NUMERIC)).isTrue();
        assertThat(JdbcTypes.canHold(TS_MILLIS, TIMESTAMPTZ)).isTrue();
        assertThat(JdbcTypes.canHold(TS_MILLIS, TIMESTAMP)).isTrue();
        assertThat(JdbcTypes.canHold(LOCAL_TS, TIMESTAMPTZ)).isFalse();
        assertThat(JdbcTypes.canHold(TS_MILLIS, BIGINT)).isFalse();
        assertThat(JdbcTypes.canHold(BOOLEAN, PG_BOOL)).isTrue();
        assertThat(JdbcTypes.canHold(DATE, TIMESTAMP)).isTrue();
        Schema record =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
        assertThat(JdbcTypes.canHold(record, JSONB)).isTrue();
        assertThat(JdbcTypes.canHold(record, INTEGER)).isFalse();
    }

    @Test
    void valuesBecomeTheParametersTheirColumnsTake() {
        long millis = 1_700_000_000_123L;
        assertThat(JdbcTypes.toParameter(millis, TS_MILLIS, TIMESTAMPTZ, "f"))
                .isEqualTo(
                        OffsetDateTime.of(2023, 11, 14, 22, 13, 20, 123_000_000, ZoneOffset.UTC));
        assertThat(JdbcTypes.toParameter(millis, TS_MILLIS, TIMESTAMP, "f"))
                .isEqualTo(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_000_000));
        assertThat(JdbcTypes.toParameter(19_000, DATE, TIMESTAMP, "f"))
                .isEqualTo(LocalDate.ofEpochDay(19_000).atStartOfDay());
        assertThat(
                        JdbcTypes.toParameter(
                                ByteBuffer.wrap(new byte[] {0x30, 0x39}),
                                DECIMAL_10_2,
                                NUMERIC_12_2,
                                "f"))
                .isEqualTo(new BigDecimal("123.45"));
        assertThat(JdbcTypes.toParameter(true, BOOLEAN, INTEGER, "f")).isEqualTo(1);
        assertThat(JdbcTypes.toParameter(7, INT, BIGINT, "f")).isEqualTo(7L);
        assertThat(
                        JdbcTypes.toParameter(
                                "6b1f8b1e-0000-4000-8000-000000000001", STRING, UUID_COL, "f"))
                .isEqualTo(UUID.fromString("6b1f8b1e-0000-4000-8000-000000000001"));
        Schema record =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
        GenericData.Record r = new GenericData.Record(record);
        r.put("x", 1);
        assertThat(JdbcTypes.toParameter(r, record, JSONB, "f")).isEqualTo("{\"x\": 1}");
    }

    @Test
    void valuesTheColumnCannotTakeAreRefusedByField() {
        assertThatThrownBy(() -> JdbcTypes.toParameter("toolong", STRING, VARCHAR_5, "name"))
                .hasMessage("field 'name' has 7 characters; column 'c' (varchar(5)) holds 5");
        assertThatThrownBy(
                        () ->
                                JdbcTypes.toParameter(
                                        new BigDecimal("1234567.00"),
                                        DECIMAL_10_2,
                                        NUMERIC_8_2,
                                        "price"))
                .hasMessage(
                        "field 'price' has 1234567.00, which does not fit column 'c' (numeric(8,"
                                + " 2))");
        assertThatThrownBy(() -> JdbcTypes.toParameter("nope", STRING, UUID_COL, "id"))
                .hasMessage("field 'id' is not a UUID: 'nope'");
    }
}
