package dev.sluice.connectors.cdc;

import static org.awaitility.Awaitility.await;

import dev.sluice.connectors.cdc.internal.CapturedChange;
import dev.sluice.connectors.cdc.schema.CdcFields;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroDecoder;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.factory.SourceFactory;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs a planned capture on a MiniCluster into a {@link CommittingCollectSink}. */
final class CaptureJobs {
    /** Set to make the next {@link FailOnce} throw once. */
    static final AtomicBoolean FAIL_ARMED = new AtomicBoolean();

    private CaptureJobs() {}

    /** A MiniCluster for a test class (Flink's JUnit 5 extension needs JUnit 4, banned here). */
    static MiniCluster startCluster() throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(16));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(32));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(32));
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(4)
                                .build());
        cluster.start();
        return cluster;
    }

    /**
     * Builds and submits the capture job.
     *
     * @param withFailure whether the job has a {@link FailOnce} operator (armed by {@link
     *     #FAIL_ARMED})
     */
    static JobID submit(
            MiniCluster cluster,
            SourceFactory.PlannedSource planned,
            String sinkName,
            String savepoint,
            boolean withFailure)
            throws Exception {
        return submit(cluster, planned, sinkName, savepoint, withFailure, false);
    }

    /**
     * Builds and submits the capture job.
     *
     * @param withDecoded whether the first table's records, as the pipeline's processors would get
     *     them, are committed too: under {@code sinkName + "-decoded"}, each as a change whose
     *     value is {@link #describe}'s text
     */
    static JobID submit(
            MiniCluster cluster,
            SourceFactory.PlannedSource planned,
            String sinkName,
            String savepoint,
            boolean withFailure,
            boolean withDecoded)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.configure(conf);
        env.enableCheckpointing(300);
        env.setParallelism(1);
        DataStream<CapturedChange> changes =
                env.fromSource(
                                ((CdcPlannedSource) planned).source(),
                                WatermarkStrategy.noWatermarks(),
                                "capture",
                                TypeInformation.of(CapturedChange.class))
                        .uid("capture");
        if (withFailure) {
            changes = changes.map(new FailOnce()).uid("fail-once");
        }
        changes.sinkTo(new CommittingCollectSink(sinkName)).uid("collect");
        if (withDecoded) {
            CdcPlannedSource source = (CdcPlannedSource) planned;
            changes.process(source.decoder(), new SluiceRecordTypeInfo(source.output().schema()))
                    .uid("decode")
                    .map(new Describe())
                    .uid("describe")
                    .sinkTo(new CommittingCollectSink(sinkName + "-decoded"))
                    .uid("collect-decoded");
        }
        JobGraph graph = env.getStreamGraph().getJobGraph();
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return cluster.submitJob(graph).get().getJobID();
    }

    /**
     * Waits until the committed changes satisfy {@code condition}; fails at once, with the job's
     * error, if the job fails.
     */
    static List<CapturedChange> awaitCommitted(
            MiniCluster cluster,
            JobID job,
            String sinkName,
            Duration timeout,
            Predicate<List<CapturedChange>> condition) {
        List<CapturedChange>[] last = new List[1];
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            JobStatus status = cluster.getJobStatus(job).get();
                            if (status.isGloballyTerminalState()) {
                                Throwable error =
                                        cluster.requestJobResult(job)
                                                .get()
                                                .getSerializedThrowable()
                                                .map(t -> (Throwable) t)
                                                .orElse(null);
                                throw new AssertionError("job ended " + status, error);
                            }
                            last[0] = CommittingCollectSink.committed(sinkName);
                            return condition.test(last[0]);
                        });
        return last[0];
    }

    /** The values decoded (tombstones as {@code null}), in commit order. */
    static List<GenericRecord> decode(
            String registryUrl, Schema reader, List<CapturedChange> changes) {
        HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(registryUrl);
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(reader, registry::getById);
        List<GenericRecord> out = new ArrayList<>();
        for (CapturedChange c : changes) {
            out.add(c.value == null ? null : decoder.decode(c.value));
        }
        return out;
    }

    /** The {@code __event_id}s of the non-tombstone values. */
    static List<String> eventIds(List<GenericRecord> values) {
        List<String> ids = new ArrayList<>();
        for (GenericRecord v : values) {
            if (v != null) {
                ids.add(v.get(CdcFields.EVENT_ID).toString());
            }
        }
        return ids;
    }

    /** A decoded record's text ({@link #describe}), as a change of topic {@code decoded}. */
    static final class Describe implements MapFunction<SluiceRecord, CapturedChange> {
        private static final long serialVersionUID = 1L;

        @Override
        public CapturedChange map(SluiceRecord record) {
            return new CapturedChange(
                    "decoded",
                    record.key(),
                    describe(record.value()).getBytes(StandardCharsets.UTF_8),
                    record.timestamp());
        }
    }

    /** A value as {@code field=value,...} of its columns (no metadata but __op), or tombstone. */
    static String describe(GenericRecord value) {
        if (value == null) {
            return "tombstone";
        }
        StringBuilder sb = new StringBuilder(String.valueOf(value.get(CdcFields.OP)));
        for (Schema.Field f : value.getSchema().getFields()) {
            if (!CdcFields.ALL.contains(f.name())) {
                sb.append(',').append(f.name()).append('=').append(text(value.get(f.pos()), f));
            }
        }
        return sb.toString();
    }

    private static Object text(Object v, Schema.Field f) {
        if (!(v instanceof java.nio.ByteBuffer)) {
            return v;
        }
        Schema type = f.schema();
        if (type.getType() == Schema.Type.UNION) {
            type = type.getTypes().get(1);
        }
        java.nio.ByteBuffer b = ((java.nio.ByteBuffer) v).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        if (type.getLogicalType() instanceof org.apache.avro.LogicalTypes.Decimal) {
            int scale = ((org.apache.avro.LogicalTypes.Decimal) type.getLogicalType()).getScale();
            return new java.math.BigDecimal(new java.math.BigInteger(bytes), scale).toPlainString();
        }
        return java.util.Arrays.toString(bytes);
    }

    /** The texts of the decoded records committed under {@code sinkName + "-decoded"}. */
    static List<String> decoded(String sinkName) {
        List<String> out = new ArrayList<>();
        for (CapturedChange c : CommittingCollectSink.committed(sinkName + "-decoded")) {
            out.add(new String(c.value, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Fails on the first change it sees while {@link #FAIL_ARMED}, once. */
    static final class FailOnce implements MapFunction<CapturedChange, CapturedChange> {
        private static final long serialVersionUID = 1L;

        @Override
        public CapturedChange map(CapturedChange value) {
            if (FAIL_ARMED.compareAndSet(true, false)) {
                throw new IllegalStateException("injected failure");
            }
            return value;
        }
    }
}
