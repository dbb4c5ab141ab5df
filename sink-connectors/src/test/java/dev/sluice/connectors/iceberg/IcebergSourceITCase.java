package dev.sluice.connectors.iceberg;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.connectors.sink.Rendering;
import dev.sluice.connectors.sink.TestSourceContexts;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.SourceFactory;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code iceberg} batch source: tables written with Iceberg's own API, read in bounded Flink
 * jobs on a local MiniCluster; the snapshot choices and their refusals; {@link IcebergTables}.
 */
class IcebergSourceITCase {

    static final Schema TABLE_SCHEMA =
            new Schema(
                    required(1, "id", Types.LongType.get()),
                    optional(2, "flag", Types.BooleanType.get()),
                    optional(3, "n", Types.IntegerType.get()),
                    optional(4, "f", Types.FloatType.get()),
                    optional(5, "d", Types.DoubleType.get()),
                    optional(6, "s", Types.StringType.get()),
                    optional(7, "u", Types.UUIDType.get()),
                    optional(8, "b", Types.BinaryType.get()),
                    optional(9, "fx", Types.FixedType.ofLength(4)),
                    optional(10, "price", Types.DecimalType.of(10, 2)),
                    optional(11, "day", Types.DateType.get()),
                    optional(12, "tm", Types.TimeType.get()),
                    optional(13, "ts", Types.TimestampType.withZone()),
                    optional(14, "lts", Types.TimestampType.withoutZone()),
                    optional(15, "tags", Types.ListType.ofOptional(16, Types.StringType.get())),
                    optional(
                            17,
                            "scores",
                            Types.MapType.ofOptional(
                                    18, 19, Types.StringType.get(), Types.IntegerType.get())),
                    optional(
                            20,
                            "address",
                            Types.StructType.of(
                                    required(21, "city", Types.StringType.get()),
                                    optional(22, "zip", Types.StringType.get()))),
                    optional(23, "order-no", Types.IntegerType.get()));

    private static final String PIPELINE = "lake-reader";

    @TempDir Path warehouse;
    private Map<String, String> catalogProperties;

    @BeforeEach
    void setUp() {
        catalogProperties = Map.of("type", "hadoop", "warehouse", warehouse.toString());
    }

    // ---------------------------------------------------------------- reads

    @Test
    void everyRowOfTheCurrentSnapshotIsReadWithItsTypes() throws Exception {
        Table table = createTable("db.things");
        append(table, full(1), empty(2));
        append(table, empty(3));

        SourceFactory.PlannedSource planned = plan(Map.of("table", "db.things"));
        TestSourceContexts.Output out = TestSourceContexts.runBatch(planned, PIPELINE, 2);

        assertThat(planned.output().kind()).isEqualTo(StreamKind.APPEND);
        assertThat(planned.output().schema().getFullName()).isEqualTo("lake_reader.source.Value");
        assertThat(Rendering.fields(planned.output().schema()))
                .containsExactly(
                        "id long",
                        "flag [null, boolean]",
                        "n [null, int]",
                        "f [null, float]",
                        "d [null, double]",
                        "s [null, string]",
                        "u [null, string (uuid)]",
                        "b [null, bytes]",
                        "fx [null, fixed(4)]",
                        "price [null, decimal(10, 2)]",
                        "day [null, int (date)]",
                        "tm [null, long (time-micros)]",
                        "ts [null, long (timestamp-micros)]",
                        "lts [null, long (local-timestamp-micros)]",
                        "tags [null, array<[null, string]>]",
                        "scores [null, map<string, [null, int]>]",
                        "address [null, record address]",
                        "order_no [null, int]");
        assertThat(out.deadLetters).isEmpty();
        assertThat(rows(out.records))
                .containsExactly(
                        "id=1, flag=true, n=-7, f=1.5, d=2.25, s=hello,"
                                + " u=6b1f8b1e-0000-4000-8000-000000000001, b=010203,"
                                + " fx=09080706, price=123.45, day=2022-01-08,"
                                + " tm=01:00:00.001, ts=2023-11-14T22:13:20.123456Z,"
                                + " lts=2023-11-14T22:13:20.123789, tags=[a, null],"
                                + " scores={x=1, y=null}, address={city=Oslo, zip=null},"
                                + " order_no=42",
                        "id=2, flag=null, n=null, f=null, d=null, s=null, u=null, b=null,"
                                + " fx=null, price=null, day=null, tm=null, ts=null, lts=null,"
                                + " tags=null, scores=null, address=null, order_no=null",
                        "id=3, flag=null, n=null, f=null, d=null, s=null, u=null, b=null,"
                                + " fx=null, price=null, day=null, tm=null, ts=null, lts=null,"
                                + " tags=null, scores=null, address=null, order_no=null");
        for (SluiceRecord r : out.records) {
            assertThat(r.key()).isNull();
        }
    }

    @Test
    void snapshotIdReadsTheTableAsItWasThen() throws Exception {
        Table table = createTable("db.things");
        long first = append(table, empty(1), empty(2));
        append(table, empty(3));

        TestSourceContexts.Output out =
                TestSourceContexts.runBatch(
                        plan(Map.of("table", "db.things", "snapshotId", first)), PIPELINE, 1);

        assertThat(ids(out.records)).containsExactly(1L, 2L);
    }

    @Test
    void startSnapshotIdReadsOnlyWhatWasAppendedAfterIt() throws Exception {
        Table table = createTable("db.things");
        long first = append(table, empty(1));
        long second = append(table, empty(2), empty(3));
        append(table, empty(4));

        TestSourceContexts.Output out =
                TestSourceContexts.runBatch(
                        plan(
                                Map.of(
                                        "table",
                                        "db.things",
                                        "startSnapshotId",
                                        first,
                                        "endSnapshotId",
                                        second)),
                        PIPELINE,
                        1);

        assertThat(ids(out.records)).containsExactly(2L, 3L);
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void aMissingTableIsRefused() {
        ConfigValidationException e = refusal(Map.of("table", "db.missing"), true);

        assertThat(e.pointer()).isEqualTo("/sources/0/config/table");
        assertThat(e.getMessage())
                .isEqualTo(
                        "/sources/0/config/table: table 'db.missing' does not exist in the"
                                + " platform's Iceberg catalog");
    }

    @Test
    void aStreamingPipelineIsRefused() {
        ConfigValidationException e = refusal(Map.of("table", "db.things"), false);

        assertThat(e.pointer()).isEqualTo("/sources/0/config");
        assertThat(e.getMessage())
                .isEqualTo(
                        "/sources/0/config: the iceberg source is a batch source: it reads a"
                                + " snapshot of its table once and ends, so it runs in pipelines"
                                + " with \"mode\": \"batch\"");
    }

    @Test
    void snapshotChoicesThatContradictEachOtherAreRefused() {
        ConfigValidationException both =
                refusal(
                        Map.of("table", "db.things", "snapshotId", 1L, "startSnapshotId", 2L),
                        true);
        ConfigValidationException endAlone =
                refusal(Map.of("table", "db.things", "endSnapshotId", 2L), true);

        assertThat(both.pointer()).isEqualTo("/sources/0/config/startSnapshotId");
        assertThat(both.getMessage())
                .isEqualTo(
                        "/sources/0/config/startSnapshotId: 'snapshotId' and 'startSnapshotId'"
                                + " cannot be combined; choose the rows with one of: snapshotId,"
                                + " asOfTimestamp, or startSnapshotId with an optional"
                                + " endSnapshotId (none: the current snapshot)");
        assertThat(endAlone.pointer()).isEqualTo("/sources/0/config/endSnapshotId");
        assertThat(endAlone.getMessage())
                .isEqualTo(
                        "/sources/0/config/endSnapshotId: endSnapshotId ends an incremental read"
                                + " and needs startSnapshotId; to read the table as of a snapshot"
                                + " use snapshotId");
    }

    @Test
    void snapshotsTheTableDoesNotHaveAreRefused() throws Exception {
        Table table = createTable("db.things");
        long first = append(table, empty(1));

        ConfigValidationException unknown =
                refusal(Map.of("table", "db.things", "snapshotId", 42L), true);
        ConfigValidationException tooEarly =
                refusal(Map.of("table", "db.things", "asOfTimestamp", 1_000L), true);
        ConfigValidationException notAnAncestor =
                refusal(Map.of("table", "db.things", "startSnapshotId", 42L), true);

        assertThat(unknown.pointer()).isEqualTo("/sources/0/config/snapshotId");
        assertThat(unknown.getMessage())
                .isEqualTo(
                        "/sources/0/config/snapshotId: table 'db.things' has no snapshot 42; its"
                                + " snapshots: "
                                + first);
        assertThat(tooEarly.pointer()).isEqualTo("/sources/0/config/asOfTimestamp");
        assertThat(tooEarly.getMessage())
                .startsWith(
                        "/sources/0/config/asOfTimestamp: table 'db.things' has no snapshot at or"
                                + " before 1970-01-01T00:00:01Z (its first is from ");
        assertThat(notAnAncestor.pointer()).isEqualTo("/sources/0/config/startSnapshotId");
        assertThat(notAnAncestor.getMessage())
                .isEqualTo(
                        "/sources/0/config/startSnapshotId: snapshot 42 is not an ancestor of the"
                                + " current snapshot "
                                + first
                                + " of table 'db.things'; its snapshots: "
                                + first);
    }

    // ---------------------------------------------------------------- IcebergTables

    @Test
    void currentSnapshotIdFollowsCommits() throws Exception {
        assertThat(IcebergTables.currentSnapshotId(catalogProperties, "db.things")).isEmpty();
        Table table = createTable("db.things");
        assertThat(IcebergTables.currentSnapshotId(catalogProperties, "db.things")).isEmpty();

        long first = append(table, empty(1));
        assertThat(IcebergTables.currentSnapshotId(catalogProperties, "db.things"))
                .isEqualTo(OptionalLong.of(first));

        long second = append(table, empty(2));
        assertThat(second).isNotEqualTo(first);
        assertThat(IcebergTables.currentSnapshotId(catalogProperties, "db.things"))
                .isEqualTo(OptionalLong.of(second));
    }

    // ---------------------------------------------------------------- helpers

    private SourceFactory.PlannedSource plan(Map<String, Object> config) {
        return TestSourceContexts.plan(
                new IcebergSourceFactory(), config, PIPELINE, catalogProperties, true);
    }

    private ConfigValidationException refusal(Map<String, Object> config, boolean bounded) {
        Throwable t =
                catchThrowable(
                        () ->
                                TestSourceContexts.plan(
                                        new IcebergSourceFactory(),
                                        config,
                                        PIPELINE,
                                        catalogProperties,
                                        bounded));
        assertThat(t).isInstanceOf(ConfigValidationException.class);
        return (ConfigValidationException) t;
    }

    private Table createTable(String name) {
        Catalog catalog = IcebergCatalogs.loader(catalogProperties).loadCatalog();
        return catalog.createTable(TableIdentifier.parse(name), TABLE_SCHEMA);
    }

    /** Appends {@code rows} as one Parquet file in one commit; the new snapshot's id. */
    private static long append(Table table, Record... rows) throws Exception {
        OutputFile file =
                table.io()
                        .newOutputFile(
                                table.locationProvider()
                                        .newDataLocation(UUID.randomUUID() + ".parquet"));
        FileAppender<Record> appender =
                new GenericAppenderFactory(table.schema()).newAppender(file, FileFormat.PARQUET);
        try (appender) {
            for (Record r : rows) {
                appender.add(r);
            }
        }
        DataFile dataFile =
                DataFiles.builder(table.spec())
                        .withInputFile(file.toInputFile())
                        .withMetrics(appender.metrics())
                        .withFormat(FileFormat.PARQUET)
                        .build();
        table.newAppend().appendFile(dataFile).commit();
        table.refresh();
        return table.currentSnapshot().snapshotId();
    }

    private static Record empty(long id) {
        Record r = GenericRecord.create(TABLE_SCHEMA);
        r.setField("id", id);
        return r;
    }

    private static Record full(long id) {
        Record r = empty(id);
        r.setField("flag", true);
        r.setField("n", -7);
        r.setField("f", 1.5f);
        r.setField("d", 2.25);
        r.setField("s", "hello");
        r.setField("u", UUID.fromString("6b1f8b1e-0000-4000-8000-000000000001"));
        r.setField("b", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        r.setField("fx", new byte[] {9, 8, 7, 6});
        r.setField("price", new BigDecimal("123.45"));
        r.setField("day", LocalDate.ofEpochDay(19_000));
        r.setField("tm", LocalTime.of(1, 0, 0, 1_000_000));
        r.setField("ts", OffsetDateTime.of(2023, 11, 14, 22, 13, 20, 123_456_000, ZoneOffset.UTC));
        r.setField("lts", LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_789_000));
        List<String> tags = new ArrayList<>();
        tags.add("a");
        tags.add(null);
        r.setField("tags", tags);
        Map<String, Integer> scores = new LinkedHashMap<>();
        scores.put("x", 1);
        scores.put("y", null);
        r.setField("scores", scores);
        Record address =
                GenericRecord.create(TABLE_SCHEMA.findField("address").type().asStructType());
        address.setField("city", "Oslo");
        r.setField("address", address);
        r.setField("order-no", 42);
        return r;
    }

    private static List<String> rows(List<SluiceRecord> records) {
        List<org.apache.avro.generic.GenericRecord> values = new ArrayList<>();
        records.forEach(r -> values.add(r.value()));
        return Rendering.sorted(values);
    }

    private static List<Long> ids(List<SluiceRecord> records) {
        List<Long> ids = new ArrayList<>();
        for (SluiceRecord r : records) {
            ids.add((Long) r.value().get("id"));
        }
        ids.sort(null);
        return ids;
    }
}
