package dev.sluice.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {

    private static List<Schema.Field> fields(String json) {
        return new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + json + "]}")
                .getFields();
    }

    private static final org.apache.iceberg.Schema TABLE =
            new org.apache.iceberg.Schema(
                    List.of(
                            Types.NestedField.required(1, "id", Types.LongType.get()),
                            Types.NestedField.optional(2, "n", Types.IntegerType.get()),
                            Types.NestedField.optional(
                                    3,
                                    "addr",
                                    Types.StructType.of(
                                            Types.NestedField.optional(
                                                    4, "city", Types.StringType.get()))),
                            Types.NestedField.optional(5, "legacy", Types.StringType.get())),
                    Set.of(1));

    @Test
    void aMatchingInputNeedsNoChange() {
        SchemaEvolution e =
                SchemaEvolution.compare(
                        fields(
                                "{\"name\":\"id\",\"type\":\"long\"},"
                                        + "{\"name\":\"n\",\"type\":[\"null\",\"int\"]}"),
                        TABLE,
                        Set.of("id"));

        assertThat(e.isEmpty()).isTrue();
    }

    @Test
    void newFieldsAreAddedAndNarrowerColumnsWidened() {
        SchemaEvolution e =
                SchemaEvolution.compare(
                        fields(
                                "{\"name\":\"id\",\"type\":\"long\"},"
                                        + "{\"name\":\"n\",\"type\":\"long\"},"
                                        + "{\"name\":\"addr\",\"type\":{\"type\":\"record\",\"name\":\"A\",\"fields\":["
                                        + "{\"name\":\"city\",\"type\":\"string\"},{\"name\":\"zip\",\"type\":\"string\"}]}},"
                                        + "{\"name\":\"email\",\"type\":[\"null\",\"string\"]}"),
                        TABLE,
                        Set.of("id"));

        assertThat(e.toString())
                .isEqualTo("[add addr.zip string, add email string, widen n to long]");
    }

    @Test
    void incompatibleTypesAndUnfedRequiredColumnsNameTheField() {
        assertThatThrownBy(
                        () ->
                                SchemaEvolution.compare(
                                        fields(
                                                "{\"name\":\"id\",\"type\":\"long\"},"
                                                        + "{\"name\":\"n\",\"type\":\"string\"}"),
                                        TABLE,
                                        Set.of("id")))
                .hasMessage(
                        "field 'n': the field is string but the table's column is int, which"
                                + " cannot hold it");
        assertThatThrownBy(
                        () ->
                                SchemaEvolution.compare(
                                        fields("{\"name\":\"n\",\"type\":\"int\"}"),
                                        TABLE,
                                        Set.of()))
                .hasMessage(
                        "field 'id': the table's column is required but the input has no such"
                                + " field");
        assertThatThrownBy(
                        () ->
                                SchemaEvolution.compare(
                                        fields(
                                                "{\"name\":\"id\",\"type\":\"long\"},"
                                                        + "{\"name\":\"addr\",\"type\":{\"type\":\"record\",\"name\":\"A\",\"fields\":["
                                                        + "{\"name\":\"city\",\"type\":\"int\"}]}}"),
                                        TABLE,
                                        Set.of("id")))
                .hasMessage(
                        "field 'addr.city': the field is int but the table's column is string,"
                                + " which cannot hold it");
    }

    @Test
    void aNullableFieldForARequiredColumnIsRefusedUnlessItIsAKey() {
        List<Schema.Field> nullableId = fields("{\"name\":\"id\",\"type\":[\"null\",\"long\"]}");

        assertThatThrownBy(() -> SchemaEvolution.compare(nullableId, TABLE, Set.of()))
                .hasMessage("field 'id': the field is nullable but the table's column is required");
        assertThat(SchemaEvolution.compare(nullableId, TABLE, Set.of("id")).isEmpty()).isTrue();
    }
}
