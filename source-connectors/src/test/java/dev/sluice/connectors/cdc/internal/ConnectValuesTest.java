package dev.sluice.connectors.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Date;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** Debezium's value representations into the planned Avro types. */
class ConnectValuesTest {

    private static final Schema TS_MICROS =
            LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    private static final Schema TIME_MICROS =
            LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
    private static final Schema DATE =
            LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    private static final Schema DECIMAL_5_2 =
            LogicalTypes.decimal(5, 2).addToSchema(Schema.create(Schema.Type.BYTES));

    @Test
    void testTimestampsOfEveryPrecisionBecomeMicros() {
        assertThat(
                        ConnectValues.toAvro(
                                "2024-01-01T10:00:00.123456Z",
                                "io.debezium.time.ZonedTimestamp",
                                TS_MICROS))
                .isEqualTo(1704103200123456L);
        assertThat(
                        ConnectValues.toAvro(
                                "2024-01-01T11:00:00+01:00",
                                "io.debezium.time.ZonedTimestamp",
                                TS_MICROS))
                .isEqualTo(1704103200000000L);
        assertThat(ConnectValues.toAvro(1704103200123L, "io.debezium.time.Timestamp", TS_MICROS))
                .isEqualTo(1704103200123000L);
        assertThat(
                        ConnectValues.toAvro(
                                1704103200123456L, "io.debezium.time.MicroTimestamp", TS_MICROS))
                .isEqualTo(1704103200123456L);
        assertThat(
                        ConnectValues.toAvro(
                                1704103200123456789L, "io.debezium.time.NanoTimestamp", TS_MICROS))
                .isEqualTo(1704103200123456L);
        assertThat(ConnectValues.toAvro(new Date(1704103200123L), null, TS_MICROS))
                .isEqualTo(1704103200123000L);
    }

    @Test
    void testTimesAndDates() {
        assertThat(ConnectValues.toAvro(3_600_000, "io.debezium.time.Time", TIME_MICROS))
                .isEqualTo(3_600_000_000L);
        assertThat(ConnectValues.toAvro(3_600_000_000L, "io.debezium.time.MicroTime", TIME_MICROS))
                .isEqualTo(3_600_000_000L);
        assertThat(ConnectValues.toAvro(19_723, "io.debezium.time.Date", DATE)).isEqualTo(19_723);
        assertThat(ConnectValues.toAvro(new Date(19_723L * 86_400_000L), null, DATE))
                .isEqualTo(19_723);
    }

    @Test
    void testDecimalsAreRescaledAndChecked() {
        ByteBuffer bytes =
                (ByteBuffer) ConnectValues.toAvro(new BigDecimal("12.5"), null, DECIMAL_5_2);
        assertThat(new BigDecimal(new BigInteger(toArray(bytes)), 2)).isEqualByComparingTo("12.50");
        assertThatThrownBy(() -> ConnectValues.toAvro(new BigDecimal("1.234"), null, DECIMAL_5_2))
                .hasMessage("1.234 has more than 2 decimal places");
        assertThatThrownBy(() -> ConnectValues.toAvro(new BigDecimal("1234.5"), null, DECIMAL_5_2))
                .hasMessage("1234.5 does not fit decimal(5, 2)");

        org.apache.kafka.connect.data.Schema variable =
                SchemaBuilder.struct()
                        .name("io.debezium.data.VariableScaleDecimal")
                        .field("scale", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
                        .field("value", org.apache.kafka.connect.data.Schema.BYTES_SCHEMA)
                        .build();
        Struct pi =
                new Struct(variable)
                        .put("scale", 5)
                        .put("value", BigInteger.valueOf(314159).toByteArray());
        assertThat(
                        ConnectValues.toAvro(
                                pi,
                                "io.debezium.data.VariableScaleDecimal",
                                Schema.create(Schema.Type.STRING)))
                .isEqualTo("3.14159");
    }

    @Test
    void testNullableArraysAndMismatches() {
        Schema ints =
                Schema.createUnion(
                        Schema.create(Schema.Type.NULL),
                        Schema.createArray(
                                Schema.createUnion(
                                        Schema.create(Schema.Type.NULL),
                                        Schema.create(Schema.Type.INT))));
        assertThat(ConnectValues.toAvro(Arrays.asList((short) 1, null, (short) 3), null, ints))
                .isEqualTo(Arrays.asList(1, null, 3));
        assertThat(ConnectValues.toAvro(null, null, ints)).isNull();
        assertThatThrownBy(() -> ConnectValues.toAvro("x", null, Schema.create(Schema.Type.INT)))
                .hasMessage("cannot store a String as Avro int");
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
