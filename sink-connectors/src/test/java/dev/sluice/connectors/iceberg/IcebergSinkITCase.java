package dev.sluice.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.connectors.sink.FailOnceAfterCheckpoints;
import dev.sluice.connectors.sink.Records;
import dev.sluice.connectors.sink.TestSinkContexts;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.factory.SinkFactory;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code iceberg} sink in Flink jobs on a local MiniCluster, read back through Iceberg's API.
 */
class IcebergSinkITCase {

    static final Schema EVENT =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Event\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"name\",\"type\":\"string\"}]}");
    static final Schema CDC =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Movie\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"title\",\"type\":[\"null\",\"string\"]},"
                                    + "{\"name\":\"__op\",\"type\":\"string\"},"
                                    + "{\"name\":\"__ts_ms\",\"type\":\"long\"}]}");
    static final Schema KEY =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Key\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"}]}");
    private static final String PIPELINE = "lake-pipe";

    @TempDir Path warehouse;
    private Map<String, String> catalog;

    @BeforeEach
    void setUp() {
        catalog = Map.of("type", "hadoop", "warehouse", warehouse.toString());
        FailOnceAfterCheckpoints.reset();
    }

    // ---------------------------------------------------------------- tests

    @Test
    void appendWritesEveryRecordOnceAndTagsSnapshotsWithThePipeline() throws Exception {
        List<SluiceRecord> records = events(50);

        run(Map.of("table", "db.events"), append(EVENT), records, 10, null);

        Table table = table("db.events");
        assertThat(ids(table)).hasSize(50).doesNotHaveDuplicates();
        Snapshot current = table.currentSnapshot();
        assertThat(current.summary())
                .containsEntry(IcebergSinkFactory.PIPELINE_PROPERTY, PIPELINE)
                .containsEntry(IcebergSinkFactory.NODE_PROPERTY, "sink")
                .containsKey("flink.job-id")
                .containsKey("flink.max-committed-checkpoint-id");
        for (Snapshot s : table.snapshots()) {
            assertThat(s.summary()).containsEntry("sluice.pipeline", PIPELINE);
        }
    }

    @Test
    void aRestoreAfterAFailureCommitsNothingTwice() throws Exception {
        List<SluiceRecord> records = events(60);

        run(
                Map.of("table", "db.events"),
                append(EVENT),
                records,
                10,
                new FailOnceAfterCheckpoints(2));

        assertThat(FailOnceAfterCheckpoints.failed()).isTrue();
        List<Long> ids = ids(table("db.events"));
        assertThat(ids).hasSize(60).doesNotHaveDuplicates();
    }

    @Test
    void aCdcChangelogUpsertsAndDeletesByKeyEvenAcrossAFailure() throws Exception {
        List<SluiceRecord> changes = new ArrayList<>();
        for (long id = 1; id <= 10; id++) {
            changes.add(cdc(id, "t" + id, "r"));
        }
        for (long id = 1; id <= 10; id += 2) {
            changes.add(cdc(id, "t" + id + "-v2", "u"));
        }
        changes.add(cdc(2, "t2", "d"));
        changes.add(SluiceRecord.of(key(2), null, 0)); // the tombstone after a d: skipped
        changes.add(cdc(4, null, "d"));
        changes.add(SluiceRecord.of(key(4), null, 0));
        changes.add(cdc(11, "t11", "c"));
        changes.add(cdc(3, "t3-v3", "u"));
        changes.add(cdc(2, "t2-again", "c"));

        run(
                Map.of("table", "db.movies"),
                new StreamDescriptor("movies", CDC, StreamKind.CHANGELOG).withKeySchema(KEY),
                changes,
                4,
                new FailOnceAfterCheckpoints(3));

        assertThat(FailOnceAfterCheckpoints.failed()).isTrue();
        Table table = table("db.movies");
        assertThat(table.schema().columns())
                .extracting(c -> c.name())
                .containsExactly("id", "title", "__ts_ms");
        Map<Long, String> expected = new TreeMap<>();
        expected.put(1L, "t1-v2");
        expected.put(2L, "t2-again");
        expected.put(3L, "t3-v3");
        expected.put(5L, "t5-v2");
        expected.put(6L, "t6");
        expected.put(7L, "t7-v2");
        expected.put(8L, "t8");
        expected.put(9L, "t9-v2");
        expected.put(10L, "t10");
        expected.put(11L, "t11");
        assertThat(rows(table, "title")).isEqualTo(expected);
    }

    @Test
    void tombstonesDeleteByKeyAndUnreadableKeysAreDeadLettered() throws Exception {
        StreamDescriptor upsertTopic =
                new StreamDescriptor("users", EVENT, StreamKind.CHANGELOG).withKeySchema(KEY);
        List<SluiceRecord> changes = new ArrayList<>();
        changes.add(event(1, "ann"));
        changes.add(event(2, "bob"));
        changes.add(event(3, "cy"));
        changes.add(SluiceRecord.of(key(2), null, 0));
        changes.add(event(1, "ann-2"));
        changes.add(SluiceRecord.of(new byte[] {1, 2}, null, 0));

        List<DeadLetter> deadLetters =
                run(Map.of("table", "db.users"), upsertTopic, changes, 3, null);

        Map<Long, String> expected = new TreeMap<>(Map.of(1L, "ann-2", 3L, "cy"));
        assertThat(rows(table("db.users"), "name")).isEqualTo(expected);
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).processorId).isEqualTo("sink");
        assertThat(deadLetters.get(0).errorMessage)
                .isEqualTo(
                        "the key is not in Confluent wire format (magic byte 0, 4-byte schema id,"
                                + " Avro binary); got 2 bytes");
    }

    @Test
    void everyAvroTypeIsWrittenToParquetAndReadBack() throws Exception {
        GenericRecord value = RowDataConverterTest.rawRecord();

        run(
                Map.of("table", "db.all_types"),
                new StreamDescriptor("all", AvroIcebergTypesTest.ALL_TYPES, StreamKind.APPEND),
                List.of(SluiceRecord.of(null, value, 0)),
                1,
                null);

        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(table("db.all_types")).build()) {
            read.forEach(rows::add);
        }
        assertThat(rows).hasSize(1);
        Record r = rows.get(0);
        assertThat(r.getField("id")).isEqualTo(7L);
        assertThat(r.getField("flag")).isEqualTo(true);
        assertThat(r.getField("f")).isEqualTo(1.5f);
        assertThat(r.getField("s").toString()).isEqualTo("hello");
        assertThat(r.getField("u").toString()).isEqualTo("6b1f8b1e-0000-4000-8000-000000000001");
        assertThat(r.getField("b")).isEqualTo(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat((byte[]) r.getField("fx")).containsExactly(9, 8, 7, 6);
        assertThat(r.getField("price")).isEqualTo(new java.math.BigDecimal("123.45"));
        assertThat(r.getField("fprice")).isEqualTo(new java.math.BigDecimal("-1.500"));
        assertThat(r.getField("day")).isEqualTo(java.time.LocalDate.ofEpochDay(19_000));
        assertThat(r.getField("tm")).isEqualTo(java.time.LocalTime.of(1, 0, 0, 1_000_000));
        assertThat(r.getField("tu")).isEqualTo(java.time.LocalTime.of(2, 0, 0, 5_000_000));
        assertThat(r.getField("ts"))
                .isEqualTo(
                        java.time.OffsetDateTime.of(
                                2023, 11, 14, 22, 13, 20, 123_000_000, java.time.ZoneOffset.UTC));
        assertThat(r.getField("tsu"))
                .isEqualTo(
                        java.time.OffsetDateTime.of(
                                2023, 11, 14, 22, 13, 20, 123_456_000, java.time.ZoneOffset.UTC));
        assertThat(r.getField("ltsu"))
                .isEqualTo(java.time.LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_789_000));
        assertThat(r.getField("color").toString()).isEqualTo("GREEN");
        assertThat(r.getField("tags").toString()).isEqualTo("[a, b]");
        assertThat(r.getField("scores").toString()).isEqualTo("{x=1, y=null}");
        Record address = (Record) r.getField("address");
        assertThat(address.getField("city").toString()).isEqualTo("Oslo");
        assertThat(address.getField("zip")).isNull();
    }

    @Test
    void overwriteInABatchJobReplacesOnlyThePartitionsItWrites() throws Exception {
        Map<String, Object> config =
                Map.of("table", "db.people", "write", "overwrite", "partitionBy", List.of("name"));
        List<SluiceRecord> first = List.of(event(1, "a"), event(2, "a"), event(3, "b"));
        List<SluiceRecord> second = List.of(event(4, "a"));

        runBatch(config, first);
        runBatch(config, second);

        assertThat(rows(table("db.people"), "name"))
                .isEqualTo(new TreeMap<>(Map.of(3L, "b", 4L, "a")));
    }

    private void runBatch(Map<String, Object> config, List<SluiceRecord> records) throws Exception {
        SinkFactory.PlannedSink planned =
                TestSinkContexts.plan(
                        new IcebergSinkFactory(), config, append(EVENT), PIPELINE, catalog, true);
        planned.provision(TestSinkContexts.noKafka());
        Configuration conf = new Configuration();
        conf.set(
                org.apache.flink.configuration.ExecutionOptions.RUNTIME_MODE,
                org.apache.flink.api.common.RuntimeExecutionMode.BATCH);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        planned.translate(
                env.fromData(records, new SluiceRecordTypeInfo(EVENT)),
                TestSinkContexts.translation(PIPELINE, 1));
        env.execute("iceberg-overwrite");
    }

    @Test
    void commitIntervalCommitsLessOftenThanCheckpoints() throws Exception {
        List<SluiceRecord> records = events(120);

        run(
                Map.of("table", "db.events", "commitInterval", "PT3S"),
                append(EVENT),
                records,
                4,
                null);

        Table table = table("db.events");
        assertThat(ids(table)).hasSize(120).doesNotHaveDuplicates();
        long checkpoints =
                Long.parseLong(
                        table.currentSnapshot().summary().get("flink.max-committed-checkpoint-id"));
        long dataCommits = 0;
        for (Snapshot s : table.snapshots()) {
            if (Long.parseLong(s.summary().getOrDefault("added-records", "0")) > 0) {
                dataCommits++;
            }
        }
        // 120 records at 4 per checkpoint take 30 checkpoints (every 100 ms); commits come at
        // most every 3 seconds.
        assertThat(checkpoints).isGreaterThanOrEqualTo(30);
        assertThat(dataCommits).isBetween(1L, checkpoints / 3);
    }

    @Test
    void snapshotRetentionExpiresOldSnapshotsWhileTheJobRuns() throws Exception {
        StreamExecutionEnvironment env = environment();
        SinkFactory.PlannedSink planned =
                plan(Map.of("table", "db.events", "snapshotRetention", "PT1S"), append(EVENT));
        planned.provision(TestSinkContexts.noKafka());
        DataStream<SluiceRecord> input =
                env.fromSource(
                        Records.endless(EVENT, events(10), 2),
                        WatermarkStrategy.noWatermarks(),
                        "events");
        planned.translate(input, TestSinkContexts.translation(PIPELINE, 1));
        JobClient job = env.executeAsync("iceberg-retention");
        long first;
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> table("db.events").snapshots().iterator().hasNext());
            first = table("db.events").snapshots().iterator().next().snapshotId();
            long expired = first;
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> table("db.events").snapshot(expired) == null);
        } finally {
            job.cancel().get();
        }
        Table table = table("db.events");
        assertThat(table.snapshot(first)).isNull();
        assertThat(table.currentSnapshot().summary()).containsEntry("sluice.pipeline", PIPELINE);
    }

    // ---------------------------------------------------------------- helpers

    private static StreamDescriptor append(Schema schema) {
        return new StreamDescriptor("events", schema, StreamKind.APPEND);
    }

    private SinkFactory.PlannedSink plan(Map<String, ?> config, StreamDescriptor input) {
        return TestSinkContexts.plan(new IcebergSinkFactory(), config, input, PIPELINE, catalog);
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(32));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(32));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(32));
        // A local MiniCluster per job (Flink's MiniClusterExtension needs JUnit 4, banned here).
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        env.enableCheckpointing(100);
        return env;
    }

    /** Plans, provisions and runs the sink over {@code records}; returns its dead letters. */
    private List<DeadLetter> run(
            Map<String, ?> config,
            StreamDescriptor input,
            List<SluiceRecord> records,
            int perCheckpoint,
            FailOnceAfterCheckpoints failure)
            throws Exception {
        SinkFactory.PlannedSink planned = plan(config, input);
        planned.provision(TestSinkContexts.noKafka());
        StreamExecutionEnvironment env = environment();
        DataStream<SluiceRecord> stream =
                env.fromSource(
                        Records.source(input.schema(), records, perCheckpoint),
                        WatermarkStrategy.noWatermarks(),
                        "records");
        if (failure != null) {
            stream =
                    stream.map(failure, new SluiceRecordTypeInfo(input.schema())).name("fail once");
        }
        TestSinkContexts.Translation ctx = TestSinkContexts.translation(PIPELINE, 1);
        planned.translate(stream, ctx);
        CloseableIterator<DeadLetter> deadLetters = ctx.deadLetters().collectAsync();
        env.execute("iceberg-sink-test");
        List<DeadLetter> out = new ArrayList<>();
        deadLetters.forEachRemaining(out::add);
        deadLetters.close();
        return out;
    }

    private Table table(String name) {
        return IcebergCatalogs.loader(catalog).loadCatalog().loadTable(TableIdentifier.parse(name));
    }

    private static List<Long> ids(Table table) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record r : rows) {
                ids.add((Long) r.getField("id"));
            }
        }
        return ids;
    }

    private static Map<Long, String> rows(Table table, String column) throws IOException {
        Map<Long, String> out = new TreeMap<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record r : rows) {
                Object previous = out.put((Long) r.getField("id"), (String) r.getField(column));
                assertThat(previous).as("duplicate row for id %s", r.getField("id")).isNull();
            }
        }
        return out;
    }

    private static List<SluiceRecord> events(int n) {
        List<SluiceRecord> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(event(i, "event-" + i));
        }
        return out;
    }

    private static SluiceRecord event(long id, String name) {
        GenericRecord v = new GenericData.Record(EVENT);
        v.put("id", id);
        v.put("name", name);
        return SluiceRecord.of(key(id), v, id);
    }

    private static SluiceRecord cdc(long id, String title, String op) {
        GenericRecord v = new GenericData.Record(CDC);
        v.put("id", id);
        v.put("title", title);
        v.put("__op", op);
        v.put("__ts_ms", 1_000L + id);
        return SluiceRecord.of(key(id), v, id);
    }

    private static byte[] key(long id) {
        GenericRecord k = new GenericData.Record(KEY);
        k.put("id", id);
        return Records.confluentKey(k, 7);
    }
}
