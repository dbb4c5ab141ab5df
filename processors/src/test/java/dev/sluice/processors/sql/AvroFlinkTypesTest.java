package dev.sluice.processors.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** The Avro/Flink SQL type mapping and the value conversions that follow it. */
class AvroFlinkTypesTest {

    private static final Schema ALL =
            SqlFixtures.parse(
                    "{\"type\":\"record\",\"name\":\"All\",\"namespace\":\"t\",\"fields\":["
                            + "{\"name\":\"s\",\"type\":\"string\"},"
                            + "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\","
                            + "\"symbols\":[\"A\",\"B\"]}},"
                            + "{\"name\":\"u\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},"
                            + "{\"name\":\"i\",\"type\":\"int\"},"
                            + "{\"name\":\"l\",\"type\":\"long\"},"
                            + "{\"name\":\"f\",\"type\":\"float\"},"
                            + "{\"name\":\"d\",\"type\":\"double\"},"
                            + "{\"name\":\"b\",\"type\":\"boolean\"},"
                            + "{\"name\":\"by\",\"type\":\"bytes\"},"
                            + "{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"F4\",\"size\":4}},"
                            + "{\"name\":\"dec\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\","
                            + "\"precision\":10,\"scale\":2}},"
                            + "{\"name\":\"decf\",\"type\":{\"type\":\"fixed\",\"name\":\"F8\",\"size\":8,"
                            + "\"logicalType\":\"decimal\",\"precision\":12,\"scale\":3}},"
                            + "{\"name\":\"dt\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
                            + "{\"name\":\"tm\",\"type\":{\"type\":\"int\",\"logicalType\":\"time-millis\"}},"
                            + "{\"name\":\"tmu\",\"type\":{\"type\":\"long\",\"logicalType\":\"time-micros\"}},"
                            + "{\"name\":\"tsm\",\"type\":{\"type\":\"long\","
                            + "\"logicalType\":\"timestamp-millis\"}},"
                            + "{\"name\":\"tsu\",\"type\":{\"type\":\"long\","
                            + "\"logicalType\":\"timestamp-micros\"}},"
                            + "{\"name\":\"lts\",\"type\":{\"type\":\"long\","
                            + "\"logicalType\":\"local-timestamp-millis\"}},"
                            + "{\"name\":\"arr\",\"type\":{\"type\":\"array\",\"items\":[\"null\",\"int\"]}},"
                            + "{\"name\":\"mp\",\"type\":{\"type\":\"map\",\"values\":\"long\"}},"
                            + "{\"name\":\"rec\",\"type\":{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                            + "{\"name\":\"a\",\"type\":\"int\"},"
                            + "{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":null}]}},"
                            + "{\"name\":\"opt\",\"type\":[\"null\",\"string\"],\"default\":null},"
                            + "{\"name\":\"multi\",\"type\":[\"int\",\"string\"]},"
                            + "{\"name\":\"nothing\",\"type\":\"null\"}]}");

    @Test
    void testEveryAvroTypeHasItsFlinkType() {
        InputTable table = InputTable.of("all", ALL, null, false, false);
        Map<String, String> types = new LinkedHashMap<>();
        for (int i = 0; i < table.fields().size(); i++) {
            types.put(table.fields().get(i).name(), table.types().get(i).toString());
        }

        assertThat(types)
                .containsExactly(
                        Map.entry("s", "STRING NOT NULL"),
                        Map.entry("e", "STRING NOT NULL"),
                        Map.entry("u", "STRING NOT NULL"),
                        Map.entry("i", "INT NOT NULL"),
                        Map.entry("l", "BIGINT NOT NULL"),
                        Map.entry("f", "FLOAT NOT NULL"),
                        Map.entry("d", "DOUBLE NOT NULL"),
                        Map.entry("b", "BOOLEAN NOT NULL"),
                        Map.entry("by", "BYTES NOT NULL"),
                        Map.entry("fx", "BYTES NOT NULL"),
                        Map.entry("dec", "DECIMAL(10, 2) NOT NULL"),
                        Map.entry("decf", "DECIMAL(12, 3) NOT NULL"),
                        Map.entry("dt", "DATE NOT NULL"),
                        Map.entry("tm", "TIME(3) NOT NULL"),
                        Map.entry("tmu", "TIME(6) NOT NULL"),
                        Map.entry("tsm", "TIMESTAMP(3) NOT NULL"),
                        Map.entry("tsu", "TIMESTAMP(6) NOT NULL"),
                        Map.entry("lts", "TIMESTAMP(3) NOT NULL"),
                        Map.entry("arr", "ARRAY<INT> NOT NULL"),
                        Map.entry("mp", "MAP<STRING NOT NULL, BIGINT NOT NULL> NOT NULL"),
                        Map.entry("rec", "ROW<`a` INT NOT NULL, `b` STRING> NOT NULL"),
                        Map.entry("opt", "STRING"));
        assertThat(table.skipped())
                .containsExactly(
                        Map.entry("multi", "a union of several types (int, string)"),
                        Map.entry("nothing", "the null type"));
    }

    @Test
    void testEveryFlinkResultTypeHasItsAvroType() throws Exception {
        List<String> names =
                List.of(
                        "s", "c", "ti", "si", "i", "l", "f", "d", "b", "dec", "dt", "tm", "tmu",
                        "ts", "ts9", "ltz", "by", "bin", "arr", "mp", "rec");
        List<DataType> types =
                List.of(
                        DataTypes.STRING(),
                        DataTypes.CHAR(3).notNull(),
                        DataTypes.TINYINT().notNull(),
                        DataTypes.SMALLINT().notNull(),
                        DataTypes.INT().notNull(),
                        DataTypes.BIGINT().notNull(),
                        DataTypes.FLOAT().notNull(),
                        DataTypes.DOUBLE().notNull(),
                        DataTypes.BOOLEAN().notNull(),
                        DataTypes.DECIMAL(10, 2).notNull(),
                        DataTypes.DATE().notNull(),
                        DataTypes.TIME(3).notNull(),
                        DataTypes.TIME(6).notNull(),
                        DataTypes.TIMESTAMP(3).notNull(),
                        DataTypes.TIMESTAMP(9).notNull(),
                        DataTypes.TIMESTAMP_LTZ(3).notNull(),
                        DataTypes.BYTES().notNull(),
                        DataTypes.BINARY(4).notNull(),
                        DataTypes.ARRAY(DataTypes.INT()).notNull(),
                        DataTypes.MAP(DataTypes.STRING().notNull(), DataTypes.INT().notNull())
                                .notNull(),
                        DataTypes.ROW(
                                        DataTypes.FIELD("a", DataTypes.INT().notNull()),
                                        DataTypes.FIELD("b", DataTypes.STRING()))
                                .notNull());

        Schema schema = AvroFlinkTypes.record("shop_out", names, types);

        assertThat(schema.toString())
                .isEqualTo(
                        "{\"type\":\"record\",\"name\":\"shop_out\",\"fields\":["
                                + "{\"name\":\"s\",\"type\":[\"null\",\"string\"],\"default\":null},"
                                + "{\"name\":\"c\",\"type\":\"string\"},"
                                + "{\"name\":\"ti\",\"type\":\"int\"},"
                                + "{\"name\":\"si\",\"type\":\"int\"},"
                                + "{\"name\":\"i\",\"type\":\"int\"},"
                                + "{\"name\":\"l\",\"type\":\"long\"},"
                                + "{\"name\":\"f\",\"type\":\"float\"},"
                                + "{\"name\":\"d\",\"type\":\"double\"},"
                                + "{\"name\":\"b\",\"type\":\"boolean\"},"
                                + "{\"name\":\"dec\",\"type\":{\"type\":\"bytes\",\"logicalType\":"
                                + "\"decimal\",\"precision\":10,\"scale\":2}},"
                                + "{\"name\":\"dt\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
                                + "{\"name\":\"tm\",\"type\":{\"type\":\"int\",\"logicalType\":"
                                + "\"time-millis\"}},"
                                + "{\"name\":\"tmu\",\"type\":{\"type\":\"long\",\"logicalType\":"
                                + "\"time-micros\"}},"
                                + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":"
                                + "\"timestamp-millis\"}},"
                                + "{\"name\":\"ts9\",\"type\":{\"type\":\"long\",\"logicalType\":"
                                + "\"timestamp-micros\"}},"
                                + "{\"name\":\"ltz\",\"type\":{\"type\":\"long\",\"logicalType\":"
                                + "\"timestamp-millis\"}},"
                                + "{\"name\":\"by\",\"type\":\"bytes\"},"
                                + "{\"name\":\"bin\",\"type\":\"bytes\"},"
                                + "{\"name\":\"arr\",\"type\":{\"type\":\"array\",\"items\":"
                                + "[\"null\",\"int\"]}},"
                                + "{\"name\":\"mp\",\"type\":{\"type\":\"map\",\"values\":\"int\"}},"
                                + "{\"name\":\"rec\",\"type\":{\"type\":\"record\",\"name\":"
                                + "\"shop_out_rec\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
                                + "{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":null}]}}]}");
    }

    @Test
    void testResultTypesAvroCannotHoldAreRefusedWithAHint() {
        assertThatThrownBy(
                        () ->
                                AvroFlinkTypes.record(
                                        "out",
                                        List.of("m"),
                                        List.of(
                                                DataTypes.MAP(
                                                        DataTypes.INT(), DataTypes.STRING()))))
                .isInstanceOf(AvroFlinkTypes.UnsupportedTypeException.class)
                .hasMessage(
                        "column 'm' has type MAP<INT, STRING>: Avro maps have string keys; CAST"
                                + " the keys to STRING");
        assertThatThrownBy(
                        () ->
                                AvroFlinkTypes.record(
                                        "out",
                                        List.of("n"),
                                        List.of(DataTypes.MULTISET(DataTypes.STRING()))))
                .isInstanceOf(AvroFlinkTypes.UnsupportedTypeException.class)
                .hasMessage(
                        "column 'n' has type MULTISET<STRING>: Avro cannot hold MULTISET values;"
                                + " CAST it to a string, number or timestamp");
        assertThatThrownBy(
                        () -> AvroFlinkTypes.record("out", List.of("x"), List.of(DataTypes.NULL())))
                .isInstanceOf(AvroFlinkTypes.UnsupportedTypeException.class)
                .hasMessage(
                        "column 'x' has type NULL: an untyped NULL; CAST it to the type it"
                                + " stands for");
    }

    @Test
    void testValuesRoundTripFromAvroThroughRowsBackToAvro() throws Exception {
        InputTable table = InputTable.of("all", ALL, null, false, false);
        GenericData.Record in = new GenericData.Record(ALL);
        Schema f4 = ALL.getField("fx").schema();
        Schema f8 = ALL.getField("decf").schema();
        Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
        in.put("s", "text");
        in.put("e", new GenericData.EnumSymbol(ALL.getField("e").schema(), "B"));
        in.put("u", "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        in.put("i", 7);
        in.put("l", 7L);
        in.put("f", 1.5f);
        in.put("d", 2.5d);
        in.put("b", true);
        in.put("by", ByteBuffer.wrap(new byte[] {1, 2}));
        in.put("fx", new GenericData.Fixed(f4, new byte[] {9, 8, 7, 6}));
        in.put(
                "dec",
                decimals.toBytes(new BigDecimal("12345.67"), null, LogicalTypes.decimal(10, 2)));
        in.put("decf", decimals.toFixed(new BigDecimal("-1.250"), f8, LogicalTypes.decimal(12, 3)));
        in.put("dt", 19_000);
        in.put("tm", 3_600_123);
        in.put("tmu", 3_600_123_456L);
        in.put("tsm", 1_700_000_000_123L);
        in.put("tsu", 1_700_000_000_123_456L);
        in.put("lts", 1_700_000_000_123L);
        in.put("arr", new GenericData.Array<>(ALL.getField("arr").schema(), listOf(1, null, 3)));
        in.put("mp", Map.of("k", 5L));
        GenericData.Record rec = new GenericData.Record(ALL.getField("rec").schema());
        rec.put("a", 1);
        rec.put("b", null);
        in.put("rec", rec);
        in.put("opt", null);

        Row row = new RowReader(table).read(in, null, org.apache.flink.types.RowKind.INSERT);

        assertThat(row.getField(0)).isEqualTo("text");
        assertThat(row.getField(1)).isEqualTo("B");
        assertThat(row.getField(10)).isEqualTo(new BigDecimal("12345.67"));
        assertThat(row.getField(11)).isEqualTo(new BigDecimal("-1.250"));
        assertThat(row.getField(12)).isEqualTo(LocalDate.ofEpochDay(19_000));
        assertThat(row.getField(13)).isEqualTo(LocalTime.of(1, 0, 0, 123_000_000));
        assertThat(row.getField(14)).isEqualTo(LocalTime.of(1, 0, 0, 123_456_000));
        assertThat(row.getField(15))
                .isEqualTo(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_000_000));
        assertThat(row.getField(16))
                .isEqualTo(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_456_000));
        assertThat(row.getField(18)).isEqualTo(new Integer[] {1, null, 3});
        assertThat(row.getField(20)).isEqualTo(Row.of(1, null));

        List<String> names = new ArrayList<>();
        table.fields().forEach(f -> names.add(f.name()));
        Schema out = AvroFlinkTypes.record("out", names, table.types());
        GenericData.Record back = new GenericData.Record(out);
        for (int i = 0; i < names.size(); i++) {
            back.put(
                    i,
                    RowConverters.writer(
                                    table.types().get(i).getLogicalType(),
                                    out.getFields().get(i).schema())
                            .convert(row.getField(i)));
        }

        assertThat(GenericData.get().validate(out, back)).isTrue();
        assertThat(back.get("e")).isEqualTo("B");
        assertThat(back.get("fx")).isEqualTo(ByteBuffer.wrap(new byte[] {9, 8, 7, 6}));
        assertThat(back.get("decf"))
                .isEqualTo(
                        decimals.toBytes(
                                new BigDecimal("-1.250"), null, LogicalTypes.decimal(12, 3)));
        for (String same :
                List.of(
                        "s", "u", "i", "l", "f", "d", "b", "by", "dec", "dt", "tm", "tmu", "tsm",
                        "tsu", "lts", "arr", "mp", "opt")) {
            assertThat(String.valueOf(back.get(same)))
                    .as(same)
                    .isEqualTo(String.valueOf(in.get(same)));
        }
        assertThat(((GenericRecord) back.get("rec")).get("a")).isEqualTo(1);
    }

    @Test
    void testANullInAFieldThatAllowsNoneCannotBecomeARow() {
        InputTable table = InputTable.of("orders", SqlFixtures.ORDERS, null, false, false);
        GenericRecord order = SqlFixtures.order(1, null, 5, null, 0L);

        assertThatThrownBy(
                        () ->
                                new RowReader(table)
                                        .read(order, null, org.apache.flink.types.RowKind.INSERT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'customer' is null, but its schema does not allow null");
    }

    private static List<Object> listOf(Object... values) {
        List<Object> list = new ArrayList<>();
        java.util.Collections.addAll(list, values);
        return list;
    }
}
