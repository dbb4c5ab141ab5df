package dev.sluice.connectors.cdc.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TableSchemaDerivationTest {

    private static ColumnDefinition col(String name, String type) {
        return ColumnDefinition.builder(name, type).nullable(false).build();
    }

    private static String pg(ColumnDefinition c) {
        return TableSchemaDerivation.columnType(SqlDialect.POSTGRES, c).toString();
    }

    private static String my(ColumnDefinition c) {
        return TableSchemaDerivation.columnType(SqlDialect.MYSQL, c).toString();
    }

    @Test
    void testPostgresTypes() {
        assertThat(pg(col("a", "int2"))).isEqualTo("\"int\"");
        assertThat(pg(col("a", "int4"))).isEqualTo("\"int\"");
        assertThat(pg(col("a", "int8"))).isEqualTo("\"long\"");
        assertThat(pg(col("a", "float4"))).isEqualTo("\"float\"");
        assertThat(pg(col("a", "float8"))).isEqualTo("\"double\"");
        assertThat(pg(ColumnDefinition.builder("a", "numeric").precision(10).scale(2).build()))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}");
        assertThat(pg(col("a", "numeric"))).isEqualTo("\"string\"");
        assertThat(pg(col("a", "money")))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":19,\"scale\":2}");
        assertThat(pg(col("a", "bool"))).isEqualTo("\"boolean\"");
        for (String s :
                List.of(
                        "text",
                        "varchar",
                        "bpchar",
                        "uuid",
                        "json",
                        "jsonb",
                        "interval",
                        "timetz")) {
            assertThat(pg(col("a", s))).as(s).isEqualTo("\"string\"");
        }
        assertThat(pg(ColumnDefinition.builder("a", "mood").enumType(true).build()))
                .isEqualTo("\"string\"");
        assertThat(pg(col("a", "bytea"))).isEqualTo("\"bytes\"");
        assertThat(pg(col("a", "bit"))).isEqualTo("\"boolean\"");
        assertThat(pg(ColumnDefinition.builder("a", "bit").length(8).build()))
                .isEqualTo("\"bytes\"");
        assertThat(pg(col("a", "date"))).isEqualTo("{\"type\":\"int\",\"logicalType\":\"date\"}");
        assertThat(pg(col("a", "time")))
                .isEqualTo("{\"type\":\"long\",\"logicalType\":\"time-micros\"}");
        assertThat(pg(col("a", "timestamp")))
                .isEqualTo("{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}");
        assertThat(pg(col("a", "timestamptz")))
                .isEqualTo("{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}");
        assertThat(pg(col("a", "_int4")))
                .isEqualTo("{\"type\":\"array\",\"items\":[\"null\",\"int\"]}");
        assertThat(pg(col("a", "_text")))
                .isEqualTo("{\"type\":\"array\",\"items\":[\"null\",\"string\"]}");
    }

    @Test
    void testMySqlTypes() {
        assertThat(my(col("a", "tinyint"))).isEqualTo("\"int\"");
        assertThat(my(col("a", "int"))).isEqualTo("\"int\"");
        assertThat(my(ColumnDefinition.builder("a", "int").unsigned(true).build()))
                .isEqualTo("\"long\"");
        assertThat(my(col("a", "bigint"))).isEqualTo("\"long\"");
        assertThat(my(ColumnDefinition.builder("a", "bigint").unsigned(true).build()))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":20,\"scale\":0}");
        assertThat(my(ColumnDefinition.builder("a", "decimal").precision(8).scale(3).build()))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":8,\"scale\":3}");
        assertThat(my(col("a", "double"))).isEqualTo("\"double\"");
        assertThat(my(col("a", "float"))).isEqualTo("\"float\"");
        assertThat(my(col("a", "json"))).isEqualTo("\"string\"");
        assertThat(my(col("a", "enum"))).isEqualTo("\"string\"");
        assertThat(my(col("a", "longblob"))).isEqualTo("\"bytes\"");
        assertThat(my(ColumnDefinition.builder("a", "bit").length(1).build()))
                .isEqualTo("\"boolean\"");
        assertThat(my(ColumnDefinition.builder("a", "bit").length(4).build()))
                .isEqualTo("\"bytes\"");
        assertThat(my(col("a", "datetime")))
                .isEqualTo("{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}");
        assertThat(my(col("a", "timestamp")))
                .isEqualTo("{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}");
        assertThat(my(col("a", "year"))).isEqualTo("\"int\"");
    }

    @Test
    void testUnsupportedTypeNamesColumnTypeAndWhatIsSupported() {
        assertThatThrownBy(() -> pg(col("shape", "point")))
                .isInstanceOf(UnsupportedColumnTypeException.class)
                .hasMessageStartingWith(
                        "column 'shape' has type 'point', which change capture does not support;"
                                + " supported: ")
                .hasMessageContaining("timestamptz");
        assertThatThrownBy(() -> pg(col("a", "_numeric")))
                .isInstanceOf(UnsupportedColumnTypeException.class);
        assertThatThrownBy(() -> my(col("g", "geometry")))
                .isInstanceOf(UnsupportedColumnTypeException.class)
                .hasMessageContaining("'geometry'");
    }

    @Test
    void testValueIsColumnsThenMetadataAndKeyIsKeyColumns() {
        TableDefinition table =
                new TableDefinition(
                        "shop",
                        "public",
                        "movies",
                        List.of(
                                col("id", "int4"),
                                ColumnDefinition.builder("title", "text").build(),
                                col("year", "int2")),
                        List.of("id"));

        DerivedTableSchema derived =
                TableSchemaDerivation.derive(SqlDialect.POSTGRES, table, "shop.src.public.movies");

        Schema value = derived.valueSchema();
        assertThat(value.getFullName()).isEqualTo("shop.src.public.movies.Value");
        assertThat(value.getFields())
                .extracting(Schema.Field::name)
                .containsExactly(
                        "id",
                        "title",
                        "year",
                        "__op",
                        "__event_id",
                        "__ts_ms",
                        "__source",
                        "__before");
        assertThat(value.getField("title").schema().toString()).isEqualTo("[\"null\",\"string\"]");
        assertThat(value.getField("title").defaultVal())
                .isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        assertThat(value.getField("id").schema().getType()).isEqualTo(Schema.Type.INT);
        Schema before = value.getField("__before").schema().getTypes().get(1);
        assertThat(before.getFullName()).isEqualTo("shop.src.public.movies.Before");
        assertThat(before.getField("id").schema().toString()).isEqualTo("[\"null\",\"int\"]");
        assertThat(derived.keySchema().toString())
                .isEqualTo(
                        "{\"type\":\"record\",\"name\":\"Key\",\"namespace\":\"shop.src.public.movies\","
                                + "\"fields\":[{\"name\":\"id\",\"type\":\"int\"}]}");
        assertThat(
                        TableSchemaDerivation.derive(
                                SqlDialect.POSTGRES, table, "shop.src.public.movies"))
                .as("deterministic")
                .isEqualTo(derived);
    }

    @Test
    void testColumnNamesThatAreNotAvroNamesKeepTheirColumnAsAProperty() {
        TableDefinition table =
                new TableDefinition(
                        "shop",
                        null,
                        "t",
                        List.of(col("order-id", "int"), col("2nd", "int")),
                        List.of("order-id"));

        DerivedTableSchema derived =
                TableSchemaDerivation.derive(SqlDialect.MYSQL, table, "p-x.shop.t");

        Schema.Field field = derived.valueSchema().getField("order_id");
        assertThat(field.getProp(TableSchemaDerivation.COLUMN_PROPERTY)).isEqualTo("order-id");
        assertThat(derived.valueSchema().getField("_2nd")).isNotNull();
        assertThat(derived.keySchema().getField("order_id")).isNotNull();
        assertThat(derived.valueSchema().getNamespace()).isEqualTo("p_x.shop.t");
    }

    @Test
    void testClashesAreRefused() {
        assertThatThrownBy(
                        () ->
                                TableSchemaDerivation.derive(
                                        SqlDialect.MYSQL,
                                        new TableDefinition(
                                                "d",
                                                null,
                                                "t",
                                                List.of(col("a-b", "int"), col("a_b", "int")),
                                                List.of("a_b")),
                                        "n"))
                .hasMessage(
                        "columns 'a-b' and 'a_b' of d.t both become the Avro field 'a_b'; rename"
                                + " one of them");
        assertThatThrownBy(
                        () ->
                                TableSchemaDerivation.derive(
                                        SqlDialect.MYSQL,
                                        new TableDefinition(
                                                "d",
                                                null,
                                                "t",
                                                List.of(col("__op", "int")),
                                                List.of("__op")),
                                        "n"))
                .hasMessageContaining("clashes with the metadata field __op");
    }

    @Test
    void testTableDefinitionChecksKeys() {
        assertThatThrownBy(
                        () ->
                                new TableDefinition(
                                        "d", "s", "t", List.of(col("a", "int4")), List.of("b")))
                .hasMessage("key columns [b] are not columns of s.t; its columns: a");
        assertThatThrownBy(
                        () ->
                                TableSchemaDerivation.derive(
                                        SqlDialect.POSTGRES,
                                        new TableDefinition(
                                                "d",
                                                "s",
                                                "t",
                                                List.of(col("a", "int4")),
                                                List.of()),
                                        "n"))
                .hasMessage("table s.t has no key columns");
    }

    @Test
    void testDerivationKeepsWhatTheTopicsSubjectMadeNullable() {
        TableDefinition before =
                new TableDefinition(
                        "db",
                        "public",
                        "t",
                        List.of(col("id", "int4"), col("n", "int4")),
                        List.of("id"));
        Schema registered =
                TableSchemaDerivation.derive(SqlDialect.POSTGRES, before, "ns").valueSchema();
        // Since then: n became nullable and back NOT NULL; a NOT NULL column was added.
        Schema loosened =
                TableSchemaDerivation.valueSchema(
                        "ns",
                        List.of(
                                TableSchemaDerivation.columnsOf(registered).get(0),
                                TableSchemaDerivation.columnsOf(registered)
                                        .get(1)
                                        .withNullable(true)));
        TableDefinition now =
                new TableDefinition(
                        "db",
                        "public",
                        "t",
                        List.of(col("id", "int4"), col("n", "int4"), col("added", "text")),
                        List.of("id"));

        DerivedTableSchema derived =
                TableSchemaDerivation.derive(SqlDialect.POSTGRES, now, "ns", loosened);

        Schema value = derived.valueSchema();
        assertThat(value.getField("id").schema().toString()).isEqualTo("\"int\"");
        assertThat(value.getField("n").schema().toString()).isEqualTo("[\"null\",\"int\"]");
        assertThat(value.getField("added").schema().toString()).isEqualTo("[\"null\",\"string\"]");
        assertThat(value.getField("added").defaultVal())
                .isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        assertThat(derived.keySchema().getField("id").schema().toString()).isEqualTo("\"int\"");
        assertThat(TableSchemaDerivation.derive(SqlDialect.POSTGRES, now, "ns").valueSchema())
                .as("without a registered version, the catalog decides")
                .isNotEqualTo(value);
        assertThat(TableSchemaDerivation.derive(SqlDialect.POSTGRES, before, "ns", registered))
                .as("an unchanged table derives what is registered")
                .isEqualTo(TableSchemaDerivation.derive(SqlDialect.POSTGRES, before, "ns"));
        assertThat(TableSchemaDerivation.columnsOf(value))
                .extracting(AvroColumn::toString)
                .containsExactly("id \"int\" not null", "n \"int\"", "added \"string\"");
    }
}
