package dev.sluice.connectors.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.connectors.cdc.schema.ColumnDefinition;
import dev.sluice.connectors.cdc.schema.DerivedTableSchema;
import dev.sluice.connectors.cdc.schema.SqlDialect;
import dev.sluice.connectors.cdc.schema.TableDefinition;
import dev.sluice.connectors.cdc.schema.TableSchemaDerivation;
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
import org.junit.jupiter.api.Test;

/** Debezium envelopes (built as Debezium builds them) into Sluice's flattened records. */
class ChangeEncoderTest {

    private static final Schema ROW =
            SchemaBuilder.struct()
                    .name("x.Value")
                    .optional()
                    .field("id", Schema.INT32_SCHEMA)
                    .field("title", Schema.OPTIONAL_STRING_SCHEMA)
                    .field(
                            "seen",
                            SchemaBuilder.int64()
                                    .name("io.debezium.time.MicroTimestamp")
                                    .optional()
                                    .build())
                    .build();
    private static final Schema SOURCE =
            SchemaBuilder.struct()
                    .field("db", Schema.STRING_SCHEMA)
                    .field("schema", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("table", Schema.STRING_SCHEMA)
                    .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
                    .field("ts_ms", Schema.INT64_SCHEMA)
                    .build();
    private static final Schema ENVELOPE =
            SchemaBuilder.struct()
                    .field("before", ROW)
                    .field("after", ROW)
                    .field("source", SOURCE)
                    .field("op", Schema.STRING_SCHEMA)
                    .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                    .build();

    private static final DerivedTableSchema MOVIES =
            TableSchemaDerivation.derive(
                    SqlDialect.POSTGRES,
                    new TableDefinition(
                            "shop",
                            "public",
                            "movies",
                            List.of(
                                    ColumnDefinition.builder("id", "int4").nullable(false).build(),
                                    ColumnDefinition.builder("title", "text").build(),
                                    ColumnDefinition.builder("seen", "timestamp").build()),
                            List.of("id")),
                    "shop.src.public.movies");

    private final ChangeEncoder encoder =
            new ChangeEncoder(
                    ConnectorKind.POSTGRES,
                    List.of(
                            new TableRoute(
                                    "public.movies",
                                    "shop.public.movies",
                                    "shop.src.public.movies",
                                    MOVIES.valueSchema().toString(),
                                    7,
                                    MOVIES.keySchema().toString(),
                                    8,
                                    List.of("id"))));

    private static Struct row(int id, String title) {
        return new Struct(ROW).put("id", id).put("title", title).put("seen", 1_000_000L);
    }

    private static SourceRecord record(String op, Struct before, Struct after, long lsn) {
        Struct source =
                new Struct(SOURCE)
                        .put("db", "shop")
                        .put("schema", "public")
                        .put("table", "movies")
                        .put("lsn", lsn)
                        .put("ts_ms", 1_700_000_000_000L);
        Struct value =
                new Struct(ENVELOPE)
                        .put("before", before)
                        .put("after", after)
                        .put("source", source)
                        .put("op", op);
        return new SourceRecord(
                Map.of("server", "s"), Map.of("lsn", lsn), "t", null, null, ENVELOPE, value);
    }

    private static GenericRecord value(CapturedChange change) throws IOException {
        return new GenericDatumReader<GenericRecord>(MOVIES.valueSchema())
                .read(
                        null,
                        DecoderFactory.get()
                                .binaryDecoder(
                                        change.value,
                                        ConfluentWireFormat.HEADER_SIZE,
                                        change.value.length - ConfluentWireFormat.HEADER_SIZE,
                                        null));
    }

    @Test
    void testInsertIsTheRowFlattenedWithMetadata() throws IOException {
        List<CapturedChange> changes =
                encoder.encode(record("c", null, row(1, "Alien"), 0x1A2B3CL));

        assertThat(changes).hasSize(1);
        CapturedChange change = changes.get(0);
        assertThat(change.topic).isEqualTo("shop.src.public.movies");
        assertThat(change.timestamp).isEqualTo(1_700_000_000_000L);
        assertThat(ConfluentWireFormat.schemaIdOf(change.key)).isEqualTo(8);
        assertThat(ConfluentWireFormat.schemaIdOf(change.value)).isEqualTo(7);
        GenericRecord v = value(change);
        assertThat(v.get("id")).isEqualTo(1);
        assertThat(v.get("title").toString()).isEqualTo("Alien");
        assertThat(v.get("seen")).isEqualTo(1_000_000L);
        assertThat(v.get("__op").toString()).isEqualTo("c");
        assertThat(v.get("__ts_ms")).isEqualTo(1_700_000_000_000L);
        assertThat(v.get("__source").toString()).isEqualTo("shop.public.movies@0/1A2B3C");
        assertThat(v.get("__event_id").toString()).matches("[0-9a-f]{32}");
        assertThat(v.get("__before")).isNull();
    }

    @Test
    void testUpdateCarriesTheBeforeImageAndDeleteIsFollowedByATombstone() throws IOException {
        GenericRecord update =
                value(encoder.encode(record("u", row(1, "Alien"), row(1, "Aliens"), 5)).get(0));
        assertThat(update.get("title").toString()).isEqualTo("Aliens");
        assertThat(((GenericRecord) update.get("__before")).get("title").toString())
                .isEqualTo("Alien");

        List<CapturedChange> delete = encoder.encode(record("d", row(1, "Aliens"), null, 6));
        assertThat(delete).hasSize(2);
        assertThat(value(delete.get(0)).get("__op").toString()).isEqualTo("d");
        assertThat(value(delete.get(0)).get("title").toString()).isEqualTo("Aliens");
        assertThat(delete.get(1).value).isNull();
        assertThat(delete.get(1).key).isEqualTo(delete.get(0).key);
    }

    @Test
    void testEventIdsAreStableAndUnique() throws IOException {
        String first =
                value(encoder.encode(record("c", null, row(1, "a"), 10)).get(0))
                        .get("__event_id")
                        .toString();
        String again =
                value(encoder.encode(record("c", null, row(1, "a"), 10)).get(0))
                        .get("__event_id")
                        .toString();
        String later =
                value(encoder.encode(record("c", null, row(1, "a"), 11)).get(0))
                        .get("__event_id")
                        .toString();
        assertThat(again).as("a replayed change keeps its id").isEqualTo(first);
        assertThat(later).isNotEqualTo(first);

        // Snapshot reads share one position: the row's content tells them apart, and a row read
        // again unchanged (a restarted snapshot) keeps its id.
        String read =
                value(encoder.encode(record("r", null, row(1, "a"), 99)).get(0))
                        .get("__event_id")
                        .toString();
        String reread =
                value(encoder.encode(record("r", null, row(1, "a"), 120)).get(0))
                        .get("__event_id")
                        .toString();
        String other =
                value(encoder.encode(record("r", null, row(2, "a"), 99)).get(0))
                        .get("__event_id")
                        .toString();
        String changed =
                value(encoder.encode(record("r", null, row(1, "b"), 99)).get(0))
                        .get("__event_id")
                        .toString();
        assertThat(reread).isEqualTo(read);
        assertThat(List.of(other, changed)).doesNotContain(read);
    }

    @Test
    void testEventsWithoutRowChangesGiveNoRecords() {
        Schema heartbeat = SchemaBuilder.struct().field("ts_ms", Schema.INT64_SCHEMA).build();
        assertThat(
                        encoder.encode(
                                new SourceRecord(
                                        Map.of("server", "s"),
                                        Map.of("lsn", 1L),
                                        "__debezium-heartbeat.s",
                                        null,
                                        null,
                                        heartbeat,
                                        new Struct(heartbeat).put("ts_ms", 1L))))
                .isEmpty();
    }

    @Test
    void testARowThatDoesNotFitItsSchemaNamesTableAndColumn() {
        Schema narrow =
                SchemaBuilder.struct()
                        .optional()
                        .field("title", Schema.OPTIONAL_STRING_SCHEMA)
                        .build();
        Schema envelope =
                SchemaBuilder.struct()
                        .field("before", narrow)
                        .field("after", narrow)
                        .field("source", SOURCE)
                        .field("op", Schema.STRING_SCHEMA)
                        .build();
        Struct source =
                new Struct(SOURCE)
                        .put("db", "shop")
                        .put("schema", "public")
                        .put("table", "movies")
                        .put("ts_ms", 1L);
        Struct value =
                new Struct(envelope)
                        .put("after", new Struct(narrow).put("title", "x"))
                        .put("source", source)
                        .put("op", "c");
        assertThatThrownBy(
                        () ->
                                encoder.encode(
                                        new SourceRecord(
                                                Map.of(), Map.of(), "t", null, null, envelope,
                                                value)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "cannot encode a change of public.movies: the table's columns changed"
                                + " (column 'id' dropped, column 'seen' dropped) and this capture"
                                + " cannot register a new schema version");
    }
}
