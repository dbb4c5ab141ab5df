package dev.sluice.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.connectors.sink.TestSinkContexts;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.SinkFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planning and provisioning against a real Hadoop catalog in a temporary warehouse. */
class IcebergSinkPlanTest {

    static final Schema CDC =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Movie\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"country\",\"type\":[\"null\",\"string\"]},"
                                    + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                                    + "{\"name\":\"__op\",\"type\":\"string\"},"
                                    + "{\"name\":\"__ts_ms\",\"type\":\"long\"},"
                                    + "{\"name\":\"__event_id\",\"type\":\"string\"}]}");
    static final Schema KEY =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"MovieKey\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"}]}");

    @TempDir Path warehouse;
    private Map<String, String> catalog;
    private final IcebergSinkFactory factory = new IcebergSinkFactory();

    @BeforeEach
    void catalog() {
        catalog = Map.of("type", "hadoop", "warehouse", warehouse.toString());
    }

    private SinkFactory.PlannedSink plan(Map<String, ?> config, StreamDescriptor input) {
        return TestSinkContexts.plan(factory, config, input, "movies-pipe", catalog);
    }

    private SinkFactory.PlannedSink planBatch(Map<String, ?> config, StreamDescriptor input) {
        return TestSinkContexts.plan(factory, config, input, "movies-pipe", catalog, true);
    }

    private static StreamDescriptor changelog() {
        return new StreamDescriptor("movies", CDC, StreamKind.CHANGELOG).withKeySchema(KEY);
    }

    private Catalog loadCatalog() {
        return IcebergCatalogs.loader(catalog).loadCatalog();
    }

    @Test
    void planCreatesNothingAndProvisionCreatesAPartitionedV2TableWithoutMetadataFields() {
        SinkFactory.PlannedSink planned =
                plan(Map.of("table", "studio.movies", "partitionBy", List.of("id")), changelog());
        TableIdentifier id = TableIdentifier.of("studio", "movies");
        assertThat(loadCatalog().tableExists(id)).isFalse();

        planned.provision(TestSinkContexts.noKafka());

        Table table = loadCatalog().loadTable(id);
        assertThat(TableUtil.formatVersion(table)).isEqualTo(2);
        assertThat(table.schema().asStruct().toString())
                .isEqualTo(
                        "struct<1: id: required long, 2: country: optional string, 3: ts:"
                                + " optional timestamptz, 4: __ts_ms: optional long>");
        assertThat(table.schema().identifierFieldNames()).containsExactly("id");
        assertThat(table.spec().fields())
                .extracting(f -> f.name() + "=" + f.transform())
                .containsExactly("id=identity");
        assertThat(warehouse.resolve("studio/movies/metadata")).isDirectory();
    }

    @Test
    void anAppendTableKeepsEveryFieldAndTakesTransformPartitions() {
        plan(
                        Map.of(
                                "table",
                                "studio.events",
                                "partitionBy",
                                List.of("day(ts)", "country")),
                        new StreamDescriptor("movies", CDC, StreamKind.APPEND))
                .provision(TestSinkContexts.noKafka());

        Table table = loadCatalog().loadTable(TableIdentifier.of("studio", "events"));
        assertThat(table.schema().columns())
                .extracting(Types.NestedField::name)
                .containsExactly("id", "country", "ts", "__op", "__ts_ms", "__event_id");
        assertThat(table.schema().identifierFieldNames()).isEmpty();
        assertThat(table.spec().fields())
                .extracting(f -> f.name() + "=" + f.transform())
                .containsExactly("ts_day=day", "country=identity");
    }

    @Test
    void aRedeployAddsTheColumnsTheUpstreamGained() {
        plan(Map.of("table", "studio.movies"), changelog()).provision(TestSinkContexts.noKafka());
        Schema evolved =
                new Schema.Parser()
                        .parse(
                                CDC.toString()
                                        .replace(
                                                "{\"name\":\"__op\"",
                                                "{\"name\":\"title\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"__op\""));

        plan(
                        Map.of("table", "studio.movies"),
                        new StreamDescriptor("movies", evolved, StreamKind.CHANGELOG)
                                .withKeySchema(KEY))
                .provision(TestSinkContexts.noKafka());

        Table table = loadCatalog().loadTable(TableIdentifier.of("studio", "movies"));
        assertThat(table.schema().findField("title").isOptional()).isTrue();
        assertThat(table.schema().findField("title").type()).isEqualTo(Types.StringType.get());
        assertThat(table.schema().columns())
                .extracting(Types.NestedField::name)
                .containsExactly("id", "country", "ts", "__ts_ms", "title");
    }

    @Test
    void anIncompatibleExistingTableIsRefusedNamingTheField() {
        loadCatalog()
                .createTable(
                        TableIdentifier.of("studio", "movies"),
                        new org.apache.iceberg.Schema(
                                Types.NestedField.required(1, "id", Types.LongType.get()),
                                Types.NestedField.optional(2, "country", Types.IntegerType.get())),
                        PartitionSpec.unpartitioned(),
                        Map.of("format-version", "2"));

        assertThatThrownBy(() -> plan(Map.of("table", "studio.movies"), changelog()))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessage(
                        "table 'studio.movies' cannot take input 'movies': field 'country': the"
                                + " field is string but the table's column is int, which cannot"
                                + " hold it (extra optional columns in the table are fine, and"
                                + " missing columns are added)")
                .extracting(e -> ((ConfigValidationException) e).pointer())
                .isEqualTo("/sinks/0/config/table");
    }

    @Test
    void anExistingTableKeepsItsPartitioning() {
        plan(Map.of("table", "studio.movies"), changelog()).provision(TestSinkContexts.noKafka());

        assertThatThrownBy(
                        () ->
                                plan(
                                        Map.of(
                                                "table",
                                                "studio.movies",
                                                "partitionBy",
                                                List.of("id")),
                                        changelog()))
                .hasMessage(
                        "/sinks/0/config/partitionBy: table 'studio.movies' exists with"
                                + " partitioning (none); Sluice does not repartition an existing"
                                + " table: remove 'partitionBy' or make it match");
    }

    @Test
    void overwriteIsRefusedForAStreamingPipelineAtPlanTime() {
        assertThatThrownBy(
                        () ->
                                plan(
                                        Map.of("table", "studio.movies", "write", "overwrite"),
                                        new StreamDescriptor("movies", CDC, StreamKind.APPEND)))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessage(
                        "/sinks/0/config/write: write=overwrite is for batch pipelines (mode"
                                + " \"batch\"); a streaming pipeline appends or upserts");
    }

    @Test
    void upsertNeedsKeysThatAreFields() {
        StreamDescriptor noKeys = new StreamDescriptor("movies", CDC, StreamKind.CHANGELOG);

        assertThatThrownBy(() -> plan(Map.of("table", "studio.movies"), noKeys))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessage(
                        "/sinks/0/config/write: write=upsert needs key columns, and input"
                                + " 'movies' has no key schema; set 'key' to the columns that"
                                + " identify a row")
                .extracting(e -> ((ConfigValidationException) e).pointer())
                .isEqualTo("/sinks/0/config/write");
        assertThatThrownBy(
                        () ->
                                plan(
                                        Map.of(
                                                "table",
                                                "studio.movies",
                                                "key",
                                                List.of("movie_id")),
                                        noKeys))
                .hasMessage(
                        "/sinks/0/config/key: key column 'movie_id' is not a field of input"
                                + " 'movies'; its fields: id, country, ts, __ts_ms");
        assertThat(plan(Map.of("table", "studio.movies", "key", List.of("id")), noKeys))
                .isNotNull();
    }

    @Test
    void optionCombinationsThatCannotWorkAreRefused() {
        assertThatThrownBy(
                        () ->
                                planBatch(
                                        Map.of("table", "studio.movies", "write", "overwrite"),
                                        changelog()))
                .hasMessage(
                        "/sinks/0/config/write: write=overwrite replaces partitions with the rows"
                                + " of a batch run and needs an append input; input 'movies' is a"
                                + " changelog: use upsert");
        assertThatThrownBy(
                        () ->
                                plan(
                                        Map.of(
                                                "table",
                                                "studio.movies",
                                                "partitionBy",
                                                List.of("country")),
                                        changelog()))
                .hasMessage(
                        "/sinks/0/config/partitionBy: write=upsert partitions only by key columns"
                                + " (an update must find the old row in its partition); 'country'"
                                + " is not one of the key columns [id]");
        assertThatThrownBy(
                        () ->
                                plan(
                                        Map.of(
                                                "table",
                                                "studio.movies",
                                                "write",
                                                "append",
                                                "key",
                                                List.of("id")),
                                        changelog()))
                .hasMessage(
                        "/sinks/0/config/key: 'key' applies to write=upsert only; this sink"
                                + " writes append");
        assertThatThrownBy(() -> plan(Map.of("table", "movies"), changelog()))
                .hasMessage(
                        "/sinks/0/config/table: 'movies' is not a table name; expected"
                                + " namespace.name, e.g. \"studio.movies\" (letters, digits, _"
                                + " and -)");
        assertThatThrownBy(
                        () ->
                                TestSinkContexts.plan(
                                        factory,
                                        Map.of("table", "studio.movies"),
                                        changelog(),
                                        "p",
                                        Map.of()))
                .hasMessage(
                        "the platform has no Iceberg catalog configured (catalog properties"
                                + " 'type' and 'warehouse' or 'uri')");
    }
}
