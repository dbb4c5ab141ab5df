package dev.sluice.connectors.iceberg;

import static dev.sluice.connectors.iceberg.AvroIcebergTypesTest.ALL_TYPES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.RowKind;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class RowDataConverterTest {

    private static final org.apache.iceberg.Schema TABLE =
            AvroIcebergTypes.toSchema(ALL_TYPES.getFields(), List.of("id"));
    private static final long TS_MILLIS = 1_700_000_000_123L;

    static GenericRecord rawRecord() {
        GenericRecord r = new GenericData.Record(ALL_TYPES);
        r.put("id", 7L);
        r.put("flag", true);
        r.put("i", 42);
        r.put("f", 1.5f);
        r.put("d", 2.25d);
        r.put("s", new Utf8("hello"));
        r.put("u", "6b1f8b1e-0000-4000-8000-000000000001");
        r.put("b", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        r.put(
                "fx",
                new GenericData.Fixed(ALL_TYPES.getField("fx").schema(), new byte[] {9, 8, 7, 6}));
        r.put("price", ByteBuffer.wrap(BigInteger.valueOf(12345).toByteArray())); // 123.45
        byte[] fixed = new byte[8];
        byte[] unscaled = BigInteger.valueOf(-1500).toByteArray(); // -1.500
        java.util.Arrays.fill(fixed, (byte) 0xFF);
        System.arraycopy(unscaled, 0, fixed, 8 - unscaled.length, unscaled.length);
        r.put("fprice", new GenericData.Fixed(ALL_TYPES.getField("fprice").schema(), fixed));
        r.put("day", 19_000);
        r.put("tm", 3_600_000 + 1);
        r.put("tu", 7_200_000_000L + 5_000L);
        r.put("ts", TS_MILLIS);
        r.put("tsu", TS_MILLIS * 1000 + 456);
        r.put("lts", TS_MILLIS);
        r.put("ltsu", TS_MILLIS * 1000 + 789);
        r.put("color", new GenericData.EnumSymbol(ALL_TYPES.getField("color").schema(), "GREEN"));
        r.put("tags", List.of(new Utf8("a"), new Utf8("b")));
        Map<Utf8, Integer> scores = new LinkedHashMap<>();
        scores.put(new Utf8("x"), 1);
        scores.put(new Utf8("y"), null);
        r.put("scores", scores);
        Schema address = ALL_TYPES.getField("address").schema().getTypes().get(1);
        GenericRecord a = new GenericData.Record(address);
        a.put("city", "Oslo");
        a.put("zip", null);
        r.put("address", a);
        return r;
    }

    @Test
    void rawAvroValuesBecomeFlinkInternalValuesInTableOrder() {
        RowDataConverter converter = new RowDataConverter(ALL_TYPES, TABLE, null);

        RowData row = converter.toRow(rawRecord(), RowKind.UPDATE_AFTER);

        assertThat(row.getRowKind()).isEqualTo(RowKind.UPDATE_AFTER);
        assertThat(row.getArity()).isEqualTo(22);
        assertThat(row.getLong(0)).isEqualTo(7L);
        assertThat(row.getBoolean(1)).isTrue();
        assertThat(row.getInt(2)).isEqualTo(42);
        assertThat(row.getFloat(3)).isEqualTo(1.5f);
        assertThat(row.getDouble(4)).isEqualTo(2.25d);
        assertThat(row.getString(5)).isEqualTo(StringData.fromString("hello"));
        assertThat(row.getString(6).toString()).isEqualTo("6b1f8b1e-0000-4000-8000-000000000001");
        assertThat(row.getBinary(7)).containsExactly(1, 2, 3);
        assertThat(row.getBinary(8)).containsExactly(9, 8, 7, 6);
        assertThat(row.getDecimal(9, 10, 2).toBigDecimal()).isEqualTo(new BigDecimal("123.45"));
        assertThat(row.getDecimal(10, 18, 3).toBigDecimal()).isEqualTo(new BigDecimal("-1.500"));
        assertThat(row.getInt(11)).isEqualTo(19_000);
        assertThat(row.getInt(12)).isEqualTo(3_600_001);
        assertThat(row.getInt(13)).isEqualTo(7_200_005);
        assertThat(row.getTimestamp(14, 6)).isEqualTo(TimestampData.fromEpochMillis(TS_MILLIS));
        assertThat(row.getTimestamp(15, 6))
                .isEqualTo(TimestampData.fromEpochMillis(TS_MILLIS, 456_000));
        assertThat(row.getTimestamp(16, 6).toLocalDateTime())
                .isEqualTo(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_000_000));
        assertThat(row.getTimestamp(17, 6).toLocalDateTime())
                .isEqualTo(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_789_000));
        assertThat(row.getString(18).toString()).isEqualTo("GREEN");
        ArrayData tags = row.getArray(19);
        assertThat(tags.size()).isEqualTo(2);
        assertThat(tags.getString(1).toString()).isEqualTo("b");
        MapData scores = row.getMap(20);
        assertThat(scores.size()).isEqualTo(2);
        assertThat(scores.keyArray().getString(0).toString()).isEqualTo("x");
        assertThat(scores.valueArray().getInt(0)).isEqualTo(1);
        assertThat(scores.valueArray().isNullAt(1)).isTrue();
        RowData address = row.getRow(21, 2);
        assertThat(address.getString(0).toString()).isEqualTo("Oslo");
        assertThat(address.isNullAt(1)).isTrue();
    }

    @Test
    void convertedLogicalValuesAreAcceptedToo() {
        GenericRecord r = rawRecord();
        r.put("price", new BigDecimal("99.90"));
        r.put("day", LocalDate.of(2024, 2, 29));
        r.put("tm", LocalTime.of(1, 2, 3, 4_000_000));
        r.put("ts", Instant.ofEpochMilli(TS_MILLIS));
        r.put("lts", LocalDateTime.of(2024, 1, 1, 12, 0));

        RowData row = new RowDataConverter(ALL_TYPES, TABLE, null).toRow(r, RowKind.INSERT);

        assertThat(row.getDecimal(9, 10, 2)).isEqualTo(DecimalData.fromUnscaledLong(9990, 10, 2));
        assertThat(row.getInt(11)).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
        assertThat(row.getInt(12)).isEqualTo(3_723_004);
        assertThat(row.getTimestamp(14, 6)).isEqualTo(TimestampData.fromEpochMillis(TS_MILLIS));
        assertThat(row.getTimestamp(16, 6).toLocalDateTime())
                .isEqualTo(LocalDateTime.of(2024, 1, 1, 12, 0));
    }

    @Test
    void valuesAreWidenedToWiderColumns() {
        Schema avro =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                                        + "{\"name\":\"n\",\"type\":\"int\"},"
                                        + "{\"name\":\"x\",\"type\":\"float\"}]}");
        org.apache.iceberg.Schema table =
                new org.apache.iceberg.Schema(
                        Types.NestedField.optional(1, "n", Types.LongType.get()),
                        Types.NestedField.optional(2, "extra", Types.StringType.get()),
                        Types.NestedField.optional(3, "x", Types.DoubleType.get()));
        GenericRecord r = new GenericData.Record(avro);
        r.put("n", 5);
        r.put("x", 0.5f);

        RowData row = new RowDataConverter(avro, table, null).toRow(r, RowKind.INSERT);

        assertThat(row.getLong(0)).isEqualTo(5L);
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.getDouble(2)).isEqualTo(0.5d);
    }

    @Test
    void aNullForARequiredColumnAndAnOversizedDecimalAreRefusedByName() {
        RowDataConverter converter = new RowDataConverter(ALL_TYPES, TABLE, null);
        GenericRecord noId = rawRecord();
        noId.put("id", null);
        GenericRecord tooBig = rawRecord();
        tooBig.put("price", new BigDecimal("123456789.00"));

        assertThatThrownBy(() -> converter.toRow(noId, RowKind.INSERT))
                .hasMessage("field 'id' is null but the table's column is required");
        assertThatThrownBy(() -> converter.toRow(tooBig, RowKind.INSERT))
                .hasMessage(
                        "field 'price' has 123456789.00, which does not fit the column's"
                                + " decimal(10, 2)");
    }

    @Test
    void aKeyRowCarriesOnlyTheKeyColumns() {
        Schema key =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"K\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}");
        GenericRecord k = new GenericData.Record(key);
        k.put("id", 9L);

        RowData row = new RowDataConverter(ALL_TYPES, TABLE, key).keyRow(k, RowKind.DELETE);

        assertThat(row.getRowKind()).isEqualTo(RowKind.DELETE);
        assertThat(row.getLong(0)).isEqualTo(9L);
        for (int i = 1; i < row.getArity(); i++) {
            assertThat(row.isNullAt(i)).as("column %d", i).isTrue();
        }
    }
}
