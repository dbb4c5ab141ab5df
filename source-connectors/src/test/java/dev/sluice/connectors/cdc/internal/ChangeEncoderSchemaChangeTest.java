package dev.sluice.connectors.cdc.internal;

import static dev.sluice.connectors.cdc.internal.SchemaEvolutionTest.typed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.connectors.cdc.schema.ColumnDefinition;
import dev.sluice.connectors.cdc.schema.DerivedTableSchema;
import dev.sluice.connectors.cdc.schema.SqlDialect;
import dev.sluice.connectors.cdc.schema.TableDefinition;
import dev.sluice.connectors.cdc.schema.TableSchemaDerivation;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryServer;
import dev.sluice.schemas.serde.ConfluentWireFormat;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A captured table whose columns change: new versions registered, older changes kept as planned.
 */
class ChangeEncoderSchemaChangeTest {

    private static final Schema SOURCE =
            SchemaBuilder.struct()
                    .field("db", Schema.STRING_SCHEMA)
                    .field("schema", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("table", Schema.STRING_SCHEMA)
                    .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
                    .field("ts_ms", Schema.INT64_SCHEMA)
                    .build();
    private static final Schema ID = typed(SchemaBuilder.int32(), "INT4", null, null).build();
    private static final Schema N_INT = typed(SchemaBuilder.int32(), "INT4", null, null).build();
    private static final Schema N_LONG = typed(SchemaBuilder.int64(), "INT8", null, null).build();
    private static final Schema N_TEXT = typed(SchemaBuilder.string(), "TEXT", null, null).build();
    private static final Schema NOTE =
            typed(SchemaBuilder.string(), "TEXT", null, null).optional().build();
    private static final Schema PRICE =
            typed(SchemaBuilder.float64(), "FLOAT8", null, null).optional().build();

    private static final DerivedTableSchema ITEMS =
            TableSchemaDerivation.derive(
                    SqlDialect.POSTGRES,
                    new TableDefinition(
                            "shop",
                            "public",
                            "items",
                            List.of(
                                    ColumnDefinition.builder("id", "int4").nullable(false).build(),
                                    ColumnDefinition.builder("n", "int4").nullable(false).build(),
                                    ColumnDefinition.builder("note", "text").build()),
                            List.of("id")),
                    "shop.src.public.items");

    private static SchemaRegistryServer registry;
    private static int topics;

    private String topic;
    private int plannedValueId;
    private int plannedKeyId;

    @BeforeAll
    static void start() {
        registry = SchemaRegistryServer.builder().port(0).build().start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** A planned table on a topic of its own, its schemas registered as provisioning does. */
    private ChangeEncoder encoder(LogPosition planPosition) {
        if (topic == null) {
            topic = "shop.src.public.items" + (++topics);
            plannedValueId = registry.store().register(topic + "-value", ITEMS.valueSchema()).id();
            plannedKeyId = registry.store().register(topic + "-key", ITEMS.keySchema()).id();
        }
        return new ChangeEncoder(
                ConnectorKind.POSTGRES,
                List.of(
                        new TableRoute(
                                "public.items",
                                "shop.public.items",
                                topic,
                                ITEMS.valueSchema().toString(),
                                plannedValueId,
                                ITEMS.keySchema().toString(),
                                plannedKeyId,
                                List.of("id"))),
                planPosition,
                new HttpSchemaRegistryClient(registry.url()));
    }

    private static Schema rowSchema(Schema n, boolean note, boolean price) {
        SchemaBuilder b = SchemaBuilder.struct().name("x.Value").optional().field("id", ID);
        b.field("n", n);
        if (note) {
            b.field("note", NOTE);
        }
        if (price) {
            b.field("price", PRICE);
        }
        return b.build();
    }

    private static Struct row(Schema schema, int id, Object n) {
        Struct row = new Struct(schema).put("id", id).put("n", n);
        if (schema.field("note") != null) {
            row.put("note", "note " + id);
        }
        if (schema.field("price") != null) {
            row.put("price", 1.5);
        }
        return row;
    }

    private static SourceRecord record(String op, Struct before, Struct after, long lsn) {
        Schema envelope =
                SchemaBuilder.struct()
                        .field("before", (after != null ? after : before).schema())
                        .field("after", (after != null ? after : before).schema())
                        .field("source", SOURCE)
                        .field("op", Schema.STRING_SCHEMA)
                        .build();
        Struct source =
                new Struct(SOURCE)
                        .put("db", "shop")
                        .put("schema", "public")
                        .put("table", "items")
                        .put("lsn", lsn)
                        .put("ts_ms", 1_700_000_000_000L);
        Struct value =
                new Struct(envelope)
                        .put("before", before)
                        .put("after", after)
                        .put("source", source)
                        .put("op", op);
        return new SourceRecord(Map.of(), Map.of("lsn", lsn), "t", null, null, envelope, value);
    }

    private static GenericRecord value(CapturedChange change) throws IOException {
        org.apache.avro.Schema writer =
                registry.store().schemaById(ConfluentWireFormat.schemaIdOf(change.value));
        return new GenericDatumReader<GenericRecord>(writer)
                .read(
                        null,
                        DecoderFactory.get()
                                .binaryDecoder(
                                        change.value,
                                        ConfluentWireFormat.HEADER_SIZE,
                                        change.value.length - ConfluentWireFormat.HEADER_SIZE,
                                        null));
    }

    private List<Integer> versions() {
        return registry.store().versions(topic + "-value");
    }

    @Test
    void testAddedColumnBecomesANullableVersionAndLaterChangesCarryIt() throws IOException {
        ChangeEncoder encoder = encoder(LogPosition.lsn(100));
        Schema planned = rowSchema(N_INT, true, false);
        CapturedChange first = encoder.encode(record("c", null, row(planned, 1, 1), 200)).get(0);
        assertThat(ConfluentWireFormat.schemaIdOf(first.value)).isEqualTo(plannedValueId);
        // Debezium rebuilt the same columns (a new relation message): nothing to register.
        Schema rebuilt = rowSchema(N_INT, true, false);
        encoder.encode(record("c", null, row(rebuilt, 2, 2), 201));
        assertThat(versions()).containsExactly(1);

        Schema added = rowSchema(N_INT, true, true);
        CapturedChange change = encoder.encode(record("c", null, row(added, 3, 3), 300)).get(0);
        CapturedChange update =
                encoder.encode(record("u", row(added, 3, 3), row(added, 3, 4), 301)).get(0);

        assertThat(versions()).containsExactly(1, 2);
        int v2 = registry.store().version(topic + "-value", 2).id();
        assertThat(ConfluentWireFormat.schemaIdOf(change.value)).isEqualTo(v2);
        assertThat(ConfluentWireFormat.schemaIdOf(change.key)).isEqualTo(plannedKeyId);
        assertThat(registry.store().schemaById(v2).getField("price").schema().toString())
                .isEqualTo("[\"null\",\"double\"]");
        GenericRecord v = value(change);
        assertThat(v.get("price")).isEqualTo(1.5);
        assertThat(v.get("note").toString()).isEqualTo("note 3");
        assertThat(((GenericRecord) value(update).get("__before")).get("price")).isEqualTo(1.5);
        assertThat(
                        ConfluentWireFormat.schemaIdOf(
                                encoder.encode(record("c", null, row(added, 4, 4), 302))
                                        .get(0)
                                        .value))
                .isEqualTo(v2);
        assertThat(versions()).containsExactly(1, 2);
    }

    @Test
    void testWidenedTypeAndDroppedColumnBecomeVersionsAndEventIdsStayTheSame() throws IOException {
        ChangeEncoder encoder = encoder(null);
        Schema planned = rowSchema(N_INT, true, false);
        String plannedId =
                value(encoder.encode(record("c", null, row(planned, 1, 1), 500)).get(0))
                        .get("__event_id")
                        .toString();

        Schema widened = rowSchema(N_LONG, false, false);
        CapturedChange change =
                encoder.encode(record("c", null, row(widened, 1, 3_000_000_000L), 500)).get(0);

        assertThat(versions()).containsExactly(1, 2);
        org.apache.avro.Schema v2 = registry.store().version(topic + "-value", 2).schema();
        assertThat(v2.getField("n").schema().toString()).isEqualTo("\"long\"");
        assertThat(v2.getField("note")).as("dropped").isNull();
        GenericRecord v = value(change);
        assertThat(v.get("n")).isEqualTo(3_000_000_000L);
        assertThat(v.get("__event_id").toString())
                .as("the same change at the same position, whatever the version")
                .isEqualTo(plannedId);
    }

    @Test
    void testChangesMadeBeforeThePlanAreWrittenWithThePlannedSchema() throws IOException {
        ChangeEncoder encoder = encoder(LogPosition.lsn(1000));
        // Replayed after a restore: the rows before the plan lack 'note' and still have 'old'.
        Schema older =
                SchemaBuilder.struct()
                        .optional()
                        .field("id", ID)
                        .field("n", N_INT)
                        .field("old", NOTE)
                        .build();
        CapturedChange change =
                encoder.encode(
                                record(
                                        "c",
                                        null,
                                        new Struct(older).put("id", 1).put("n", 1).put("old", "x"),
                                        999))
                        .get(0);

        assertThat(versions()).containsExactly(1);
        assertThat(ConfluentWireFormat.schemaIdOf(change.value)).isEqualTo(plannedValueId);
        GenericRecord v = value(change);
        assertThat(v.get("note")).isNull();
        assertThat(v.getSchema().getField("old")).isNull();
    }

    @Test
    void testARestartedCaptureFindsTheVersionItRegisteredBefore() {
        Schema added = rowSchema(N_INT, true, true);
        encoder(null).encode(record("c", null, row(added, 1, 1), 10));
        assertThat(versions()).containsExactly(1, 2);
        int v2 = registry.store().version(topic + "-value", 2).id();

        // Restored from a checkpoint of the same (older) plan.
        CapturedChange again = encoder(null).encode(record("c", null, row(added, 2, 2), 11)).get(0);

        assertThat(versions()).containsExactly(1, 2);
        assertThat(ConfluentWireFormat.schemaIdOf(again.value)).isEqualTo(v2);
    }

    @Test
    void testARefusedVersionFailsNamingTableSubjectAndReason() {
        ChangeEncoder encoder = encoder(null);
        Schema retyped = rowSchema(N_TEXT, true, false);
        assertThatThrownBy(() -> encoder.encode(record("c", null, row(retyped, 1, "one"), 10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "table public.items changed (column 'n' changed from int to string), and"
                                + " the schema registry refused the new version of subject "
                                + topic
                                + "-value (topic "
                                + topic
                                + "): Schema being registered is incompatible with an earlier"
                                + " schema for subject");
        assertThat(versions()).containsExactly(1);
    }
}
