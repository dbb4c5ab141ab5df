package dev.sluice.connectors.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.connectors.cdc.schema.AvroColumn;
import dev.sluice.connectors.cdc.schema.ColumnDefinition;
import dev.sluice.connectors.cdc.schema.SqlDialect;
import dev.sluice.connectors.cdc.schema.TableDefinition;
import dev.sluice.connectors.cdc.schema.TableSchemaDerivation;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** Schema change detection and the next version's derivation from Debezium's row schemas. */
class SchemaEvolutionTest {

    /** A Connect column as Debezium builds it with {@code column.propagate.source.type}. */
    static SchemaBuilder typed(SchemaBuilder b, String sourceType, Integer length, Integer scale) {
        b.parameter(ConnectColumnTypes.SOURCE_TYPE, sourceType);
        if (length != null) {
            b.parameter(ConnectColumnTypes.SOURCE_LENGTH, String.valueOf(length));
        }
        if (scale != null) {
            b.parameter(ConnectColumnTypes.SOURCE_SCALE, String.valueOf(scale));
        }
        return b;
    }

    private static org.apache.kafka.connect.data.Schema col(
            SchemaBuilder b, String sourceType, boolean optional) {
        typed(b, sourceType, null, null);
        return optional ? b.optional().build() : b.build();
    }

    private static String pg(org.apache.kafka.connect.data.Schema s) {
        return type(SqlDialect.POSTGRES, s);
    }

    private static String my(org.apache.kafka.connect.data.Schema s) {
        return type(SqlDialect.MYSQL, s);
    }

    private static String type(SqlDialect dialect, org.apache.kafka.connect.data.Schema s) {
        return ConnectColumnTypes.avroType(
                        dialect, SchemaBuilder.struct().field("c", s).build().field("c"))
                .toString();
    }

    /** public.items (id int4 not null, n int4 not null, note text), as planned. */
    private static final Schema ITEMS =
            TableSchemaDerivation.derive(
                            SqlDialect.POSTGRES,
                            new TableDefinition(
                                    "db",
                                    "public",
                                    "items",
                                    List.of(
                                            ColumnDefinition.builder("id", "int4")
                                                    .nullable(false)
                                                    .build(),
                                            ColumnDefinition.builder("n", "int4")
                                                    .nullable(false)
                                                    .build(),
                                            ColumnDefinition.builder("note", "text").build()),
                                    List.of("id")),
                            "ns")
                    .valueSchema();

    private static org.apache.kafka.connect.data.Schema row(
            org.apache.kafka.connect.data.Schema n, boolean withNote, String extra) {
        SchemaBuilder b =
                SchemaBuilder.struct()
                        .name("db.public.items.Value")
                        .optional()
                        .field("id", col(SchemaBuilder.int32(), "INT4", false))
                        .field("n", n);
        if (withNote) {
            b.field("note", col(SchemaBuilder.string(), "TEXT", true));
        }
        if (extra != null) {
            b.field(extra, col(SchemaBuilder.string(), "VARCHAR", false));
        }
        return b.build();
    }

    private static final org.apache.kafka.connect.data.Schema N_INT =
            col(SchemaBuilder.int32(), "INT4", false);

    @Test
    void testSourceTypesMapAsThePlanMapsTheCatalog() {
        assertThat(pg(col(SchemaBuilder.int32(), "INT4", false))).isEqualTo("\"int\"");
        assertThat(pg(col(SchemaBuilder.int64(), "INT8", false))).isEqualTo("\"long\"");
        assertThat(pg(typed(Decimal.builder(2), "NUMERIC", 10, 2).build()))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}");
        assertThat(
                        pg(
                                typed(
                                                SchemaBuilder.struct()
                                                        .name(
                                                                "io.debezium.data.VariableScaleDecimal")
                                                        .field(
                                                                "scale",
                                                                org.apache.kafka.connect.data.Schema
                                                                        .INT32_SCHEMA),
                                                "NUMERIC",
                                                131089,
                                                0)
                                        .build()))
                .as("numeric without precision")
                .isEqualTo("\"string\"");
        assertThat(
                        pg(
                                typed(SchemaBuilder.string(), "MOOD", null, null)
                                        .name("io.debezium.data.Enum")
                                        .build()))
                .isEqualTo("\"string\"");
        assertThat(
                        pg(
                                col(
                                        SchemaBuilder.array(SchemaBuilder.OPTIONAL_STRING_SCHEMA),
                                        "_TEXT",
                                        true)))
                .isEqualTo("{\"type\":\"array\",\"items\":[\"null\",\"string\"]}");
        assertThat(
                        pg(
                                col(
                                        SchemaBuilder.string()
                                                .name("io.debezium.time.ZonedTimestamp"),
                                        "TIMESTAMPTZ",
                                        true)))
                .isEqualTo("{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}");
        assertThat(my(col(SchemaBuilder.int64(), "INT UNSIGNED", false))).isEqualTo("\"long\"");
        assertThat(my(typed(Decimal.builder(0), "BIGINT UNSIGNED", 20, null).build()))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":20,\"scale\":0}");
        assertThat(my(typed(Decimal.builder(2), "DECIMAL", 8, 2).build()))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":8,\"scale\":2}");
        assertThat(my(typed(SchemaBuilder.int16(), "TINYINT", 1, null).build()))
                .isEqualTo("\"int\"");
        assertThat(my(typed(SchemaBuilder.bool(), "BIT", 1, null).build()))
                .isEqualTo("\"boolean\"");
        assertThat(my(col(SchemaBuilder.string(), "VARCHAR", true))).isEqualTo("\"string\"");
    }

    @Test
    void testWithoutSourceTypesTheConnectTypeDecides() {
        assertThat(pg(SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build()))
                .isEqualTo("{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}");
        assertThat(pg(SchemaBuilder.int32().name("io.debezium.time.Date").build()))
                .isEqualTo("{\"type\":\"int\",\"logicalType\":\"date\"}");
        assertThat(pg(Decimal.builder(3).parameter("connect.decimal.precision", "12").build()))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":12,\"scale\":3}");
        assertThat(pg(SchemaBuilder.int16().build())).isEqualTo("\"int\"");
        assertThat(pg(SchemaBuilder.float64().build())).isEqualTo("\"double\"");
        assertThat(pg(col(SchemaBuilder.string(), "GEOGRAPHY", false)))
                .as("a source type without a mapping falls back to the Connect type")
                .isEqualTo("\"string\"");
        assertThatThrownBy(
                        () ->
                                pg(
                                        SchemaBuilder.struct()
                                                .name("io.debezium.data.geometry.Point")
                                                .field(
                                                        "x",
                                                        org.apache.kafka.connect.data.Schema
                                                                .FLOAT64_SCHEMA)
                                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "column 'c' has type STRUCT, which change capture does not support;"
                                + " supported: ");
    }

    @Test
    void testARowWithThePlannedColumnsFits() {
        assertThat(SchemaEvolution.differences(ITEMS, row(N_INT, true, null), SqlDialect.POSTGRES))
                .isEmpty();
        // A non-null column where the schema is nullable, and a narrower type, fit too.
        org.apache.kafka.connect.data.Schema narrower =
                SchemaBuilder.struct()
                        .field("id", col(SchemaBuilder.int16(), "INT2", false))
                        .field("n", N_INT)
                        .field("note", col(SchemaBuilder.string(), "TEXT", false))
                        .build();
        assertThat(SchemaEvolution.differences(ITEMS, narrower, SqlDialect.POSTGRES)).isEmpty();
    }

    @Test
    void testChangesAreDescribedAndTheNextVersionDerived() {
        org.apache.kafka.connect.data.Schema changed =
                row(col(SchemaBuilder.int64(), "INT8", true), false, "loc");

        assertThat(SchemaEvolution.differences(ITEMS, changed, SqlDialect.POSTGRES))
                .containsExactly(
                        "column 'n' changed from int to long",
                        "column 'n' became nullable",
                        "column 'loc' added",
                        "column 'note' dropped");

        List<AvroColumn> next = SchemaEvolution.evolve(ITEMS, changed, SqlDialect.POSTGRES);
        Schema value = TableSchemaDerivation.valueSchema(ITEMS.getNamespace(), next);
        assertThat(value.getFields().subList(0, 3))
                .extracting(f -> f.name() + " " + f.schema())
                .containsExactly(
                        "id \"int\"", "n [\"null\",\"long\"]", "loc [\"null\",\"string\"]");
        assertThat(value.getField("loc").defaultVal())
                .isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        assertThat(value.getFullName()).isEqualTo(ITEMS.getFullName());
        assertThat(SchemaEvolution.differences(value, changed, SqlDialect.POSTGRES))
                .as("the next version fits the row")
                .isEmpty();
        assertThat(
                        org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(
                                        value, ITEMS)
                                .getType())
                .as("BACKWARD: the new version reads records of the old")
                .isEqualTo(org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaEvolution.keyColumns(next, List.of("id")))
                .extracting(AvroColumn::column)
                .containsExactly("id");
    }

    @Test
    void testAVersionNeverNarrows() {
        Schema wide =
                TableSchemaDerivation.valueSchema(
                        "ns",
                        SchemaEvolution.evolve(
                                ITEMS,
                                row(col(SchemaBuilder.int64(), "INT8", true), true, null),
                                SqlDialect.POSTGRES));
        // The column is int and NOT NULL again: the long, nullable field holds it.
        List<AvroColumn> again =
                SchemaEvolution.evolve(wide, row(N_INT, true, "extra"), SqlDialect.POSTGRES);
        assertThat(again.get(1).toString()).isEqualTo("n \"long\"");
        assertThat(SchemaEvolution.differences(wide, row(N_INT, true, null), SqlDialect.POSTGRES))
                .isEmpty();
    }

    @Test
    void testNamesThatCannotBeFieldsAreRefused() {
        assertThatThrownBy(
                        () ->
                                SchemaEvolution.evolve(
                                        ITEMS, row(N_INT, true, "__op"), SqlDialect.POSTGRES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the new column '__op' clashes with the metadata field __op that every"
                                + " change carries; rename the column");
        assertThatThrownBy(
                        () ->
                                SchemaEvolution.keyColumns(
                                        TableSchemaDerivation.columnsOf(ITEMS), List.of("gone")))
                .hasMessage(
                        "key column 'gone' was dropped; apply the pipeline again (with other keys"
                                + " for the table if it has no primary key now)");
    }

    @Test
    void testWhatAFieldHolds() {
        Schema i = Schema.create(Schema.Type.INT);
        Schema l = Schema.create(Schema.Type.LONG);
        Schema d = Schema.create(Schema.Type.DOUBLE);
        Schema s = Schema.create(Schema.Type.STRING);
        Schema dec102 =
                org.apache.avro.LogicalTypes.decimal(10, 2)
                        .addToSchema(Schema.create(Schema.Type.BYTES));
        Schema dec122 =
                org.apache.avro.LogicalTypes.decimal(12, 2)
                        .addToSchema(Schema.create(Schema.Type.BYTES));
        Schema ts =
                org.apache.avro.LogicalTypes.timestampMicros()
                        .addToSchema(Schema.create(Schema.Type.LONG));
        assertThat(SchemaEvolution.holds(l, i)).isTrue();
        assertThat(SchemaEvolution.holds(i, l)).isFalse();
        assertThat(SchemaEvolution.holds(d, l)).isTrue();
        assertThat(SchemaEvolution.holds(s, i)).isFalse();
        assertThat(SchemaEvolution.holds(dec122, dec102)).isTrue();
        assertThat(SchemaEvolution.holds(dec102, dec122)).isFalse();
        assertThat(SchemaEvolution.holds(l, ts)).isFalse();
    }

    @Test
    void testThePlanPositionTellsOlderChanges() {
        org.apache.kafka.connect.data.Schema pgSource =
                SchemaBuilder.struct().field("lsn", SchemaBuilder.OPTIONAL_INT64_SCHEMA).build();
        LogPosition lsn = LogPosition.lsn(1000);
        assertThat(lsn.isAfter(new Struct(pgSource).put("lsn", 999L))).isTrue();
        assertThat(lsn.isAfter(new Struct(pgSource).put("lsn", 1000L))).isFalse();
        assertThat(lsn.isAfter(new Struct(pgSource))).isFalse();

        org.apache.kafka.connect.data.Schema binlogSource =
                SchemaBuilder.struct()
                        .field("file", SchemaBuilder.STRING_SCHEMA)
                        .field("pos", SchemaBuilder.INT64_SCHEMA)
                        .build();
        LogPosition binlog = LogPosition.binlog("mysql-bin.000010", 500);
        assertThat(binlog.isAfter(binlogAt(binlogSource, "mysql-bin.000010", 499))).isTrue();
        assertThat(binlog.isAfter(binlogAt(binlogSource, "mysql-bin.000009", 9000))).isTrue();
        assertThat(binlog.isAfter(binlogAt(binlogSource, "mysql-bin.000010", 500))).isFalse();
        assertThat(binlog.isAfter(binlogAt(binlogSource, "mysql-bin.000011", 4))).isFalse();
        assertThat(binlog.isAfter(binlogAt(binlogSource, "other.000001", 4)))
                .as("files of another name are not comparable: not before")
                .isFalse();
        assertThat(binlog.toString()).isEqualTo("mysql-bin.000010:500");
        assertThat(lsn.toString()).isEqualTo("0/3E8");
    }

    private static Struct binlogAt(
            org.apache.kafka.connect.data.Schema schema, String file, long pos) {
        return new Struct(schema).put("file", file).put("pos", pos);
    }
}
