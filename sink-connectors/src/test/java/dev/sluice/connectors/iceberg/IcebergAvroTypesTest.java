package dev.sluice.connectors.iceberg;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.connectors.sink.Rendering;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class IcebergAvroTypesTest {

    @Test
    void aTableSluiceWroteReadsBackWithTheTypesIcebergKept() {
        org.apache.iceberg.Schema table =
                AvroIcebergTypes.toSchema(AvroIcebergTypesTest.ALL_TYPES.getFields(), List.of());

        Schema avro = IcebergAvroTypes.toAvro(table, "Value", "p.n");

        // Columns Sluice creates are optional; Iceberg keeps micros, strings for uuids and enums,
        // and decimals without their Avro representation.
        assertThat(Rendering.fields(avro))
                .containsExactly(
                        "id [null, long]",
                        "flag [null, boolean]",
                        "i [null, int]",
                        "f [null, float]",
                        "d [null, double]",
                        "s [null, string]",
                        "u [null, string]",
                        "b [null, bytes]",
                        "fx [null, fixed(4)]",
                        "price [null, decimal(10, 2)]",
                        "fprice [null, decimal(18, 3)]",
                        "day [null, int (date)]",
                        "tm [null, long (time-micros)]",
                        "tu [null, long (time-micros)]",
                        "ts [null, long (timestamp-micros)]",
                        "tsu [null, long (timestamp-micros)]",
                        "lts [null, long (local-timestamp-micros)]",
                        "ltsu [null, long (local-timestamp-micros)]",
                        "color [null, string]",
                        "tags [null, array<string>]",
                        "scores [null, map<string, [null, int]>]",
                        "address [null, record address]");
        assertThat(avro.getFullName()).isEqualTo("p.n.Value");
    }

    @Test
    void nestedTypesGetUniqueNamesAfterTheirPath() {
        org.apache.iceberg.Schema table =
                new org.apache.iceberg.Schema(
                        required(1, "Value", structOf(10, "x")),
                        optional(2, "a_b", structOf(11, "y")),
                        optional(3, "a", Types.StructType.of(optional(4, "b", structOf(12, "z")))));

        Schema avro = IcebergAvroTypes.toAvro(table, "Value", "p.n");

        assertThat(avro.getField("Value").schema().getFullName()).isEqualTo("p.n.Value_2");
        assertThat(avro.getField("a_b").schema().getTypes().get(1).getFullName())
                .isEqualTo("p.n.a_b");
        Schema a = avro.getField("a").schema().getTypes().get(1);
        assertThat(a.getField("b").schema().getTypes().get(1).getFullName()).isEqualTo("p.n.a_b_2");
    }

    @Test
    void typesWithoutAnAvroFormAreRefusedNamingTheColumn() {
        Throwable nanos =
                catchThrowable(
                        () ->
                                IcebergAvroTypes.toAvro(
                                        new org.apache.iceberg.Schema(
                                                optional(
                                                        1,
                                                        "at",
                                                        Types.TimestampNanoType.withoutZone())),
                                        "Value",
                                        "p"));
        Throwable intKeys =
                catchThrowable(
                        () ->
                                IcebergAvroTypes.toAvro(
                                        new org.apache.iceberg.Schema(
                                                optional(
                                                        1,
                                                        "m",
                                                        Types.MapType.ofOptional(
                                                                2,
                                                                3,
                                                                Types.IntegerType.get(),
                                                                Types.StringType.get()))),
                                        "Value",
                                        "p"));

        assertThat(nanos)
                .isInstanceOf(UnsupportedFieldException.class)
                .hasMessage(
                        "field 'at': type timestamp_ns has no Avro type here (Avro 1.11 has no"
                                + " nanosecond timestamps)");
        assertThat(intKeys)
                .isInstanceOf(UnsupportedFieldException.class)
                .hasMessage(
                        "field 'm': a map with int keys has no Avro type (Avro map keys are"
                                + " strings)");
    }

    private static Types.StructType structOf(int id, String name) {
        return Types.StructType.of(optional(id, name, Types.IntegerType.get()));
    }
}
