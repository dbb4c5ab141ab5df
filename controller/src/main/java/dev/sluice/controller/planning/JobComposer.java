package dev.sluice.controller.planning;

import dev.sluice.controller.definition.NodeDefinition;
import dev.sluice.controller.definition.PipelineDefinition;
import dev.sluice.controller.definition.PipelineOptions;
import dev.sluice.processors.kafka.DeadLetterSink;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * Turns a provisioned plan into one Flink job: every node's operators in one graph (stateless
 * chains fuse into one task, records pass between them by reference), operator uids derived from
 * the pipeline name and node ids, checkpoints retained on cancellation so the platform can resume a
 * pipeline after a stop or a crash, one dead-letter writer fed by every node, and the plugin jars
 * attached so plugin operators load wherever the job runs.
 */
public final class JobComposer {

    /** Accumulator of a batch run: records its sources produced. */
    public static final String ROWS_READ = "sluice.rowsRead";

    /** Accumulator of a batch run: records handed to its sinks. */
    public static final String ROWS_WRITTEN = "sluice.rowsWritten";

    /** Accumulator of a batch run: dead letters written. */
    public static final String ROWS_DEAD_LETTERED = "sluice.rowsDeadLettered";

    /** The id the dead-letter writer uses in uids and transactional ids. */
    static final String DEAD_LETTER_NODE = "__dlq";

    /** The Flink job name of a pipeline. */
    public static String jobName(String pipeline) {
        return "sluice:" + pipeline;
    }

    /** The Flink job name of one job of a pipeline ({@code jobKey} empty for a fused one). */
    public static String jobName(String pipeline, String jobKey) {
        return jobKey.isEmpty() ? jobName(pipeline) : jobName(pipeline) + "/" + jobKey;
    }

    /** Composes the job graph for {@code plan}. */
    public StreamGraph compose(PipelinePlan plan, JobSettings settings) {
        PipelineDefinition definition = plan.definition();
        PipelineOptions options = definition.options();
        Delivery delivery =
                options.delivery() == PipelineOptions.Delivery.EXACTLY_ONCE
                        ? Delivery.EXACTLY_ONCE
                        : Delivery.AT_LEAST_ONCE;
        int parallelism = options.parallelism();
        boolean batch = definition.mode() == PipelineDefinition.Mode.BATCH;

        Configuration conf = jobConfiguration(definition, settings, delivery);
        String jobName = jobName(definition.name(), settings.jobKey());
        conf.set(org.apache.flink.configuration.PipelineOptions.NAME, jobName);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        env.setParallelism(parallelism);

        Map<String, DataStream<SluiceRecord>> streams = new HashMap<>();
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        for (PlannedNode node : plan.nodes().values()) {
            NodeDefinition def = node.definition();
            Context ctx = new Context(definition.name(), def.id(), parallelism, deadLetters);
            if (node.isSource()) {
                DataStream<SluiceRecord> out = node.asSource().translate(env, ctx);
                streams.put(def.id(), batch ? RowCounter.count(out, ROWS_READ, ctx) : out);
            } else if (node.isProcessor()) {
                List<DataStream<SluiceRecord>> inputs = new ArrayList<>();
                def.inputs().forEach(id -> inputs.add(streams.get(id)));
                streams.put(def.id(), node.asProcessor().translate(inputs, ctx));
            } else {
                DataStream<SluiceRecord> input = streams.get(def.inputs().get(0));
                for (int i = 1; i < def.inputs().size(); i++) {
                    input = input.union(streams.get(def.inputs().get(i)));
                }
                node.asSink()
                        .translate(batch ? RowCounter.count(input, ROWS_WRITTEN, ctx) : input, ctx);
            }
        }
        if (!deadLetters.isEmpty()) {
            DataStream<DeadLetter> all = deadLetters.get(0);
            for (int i = 1; i < deadLetters.size(); i++) {
                all = all.union(deadLetters.get(i));
            }
            String dlqNode =
                    settings.jobKey().isEmpty()
                            ? DEAD_LETTER_NODE
                            : DEAD_LETTER_NODE + "_" + settings.jobKey();
            Context dlq = new Context(definition.name(), dlqNode, parallelism, null);
            if (batch) {
                all = RowCounter.count(all, ROWS_DEAD_LETTERED, dlq);
            }
            DeadLetterSink.attach(
                    all,
                    plan.deadLetterTopic(),
                    settings.deadLetterSchemaId(),
                    settings.bootstrapServers(),
                    delivery,
                    dlq.transactionalIdPrefix(),
                    dlq.uid("kafka-sink"),
                    parallelism);
        }

        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(jobName);
        // Plugin operators are classes only the plugin jars have: the cluster loads them from the
        // jars the job ships (a MiniCluster uploads them to its blob server like a remote one).
        for (java.nio.file.Path jar : settings.pluginJars()) {
            graph.addJar(new org.apache.flink.core.fs.Path(jar.toUri()));
        }
        graph.setSavepointRestoreSettings(
                settings.restorePath() == null
                        ? SavepointRestoreSettings.none()
                        : SavepointRestoreSettings.forPath(settings.restorePath(), true));
        return graph;
    }

    private static Configuration jobConfiguration(
            PipelineDefinition definition, JobSettings settings, Delivery delivery) {
        if (definition.mode() == PipelineDefinition.Mode.BATCH) {
            // A run is a bounded job: no checkpoints, and a failure fails the run, which the
            // pipeline's retry policy may start again.
            Configuration conf = new Configuration();
            conf.set(
                    org.apache.flink.configuration.ExecutionOptions.RUNTIME_MODE,
                    org.apache.flink.api.common.RuntimeExecutionMode.BATCH);
            conf.set(org.apache.flink.configuration.PipelineOptions.OBJECT_REUSE, true);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            return conf;
        }
        Duration interval = definition.options().checkpointInterval();
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                delivery == Delivery.EXACTLY_ONCE
                        ? CheckpointingMode.EXACTLY_ONCE
                        : CheckpointingMode.AT_LEAST_ONCE);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                settings.checkpointDir().toUri().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(200));
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(org.apache.flink.configuration.PipelineOptions.OBJECT_REUSE, true);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        return conf;
    }

    /** The translation context of one node. */
    private static final class Context implements TranslationContext {
        private final String pipeline;
        private final String nodeId;
        private final int parallelism;
        private final List<DataStream<DeadLetter>> deadLetters;

        Context(
                String pipeline,
                String nodeId,
                int parallelism,
                List<DataStream<DeadLetter>> deadLetters) {
            this.pipeline = pipeline;
            this.nodeId = nodeId;
            this.parallelism = parallelism;
            this.deadLetters = deadLetters;
        }

        @Override
        public String uid(String suffix) {
            return "sluice/" + pipeline + "/" + nodeId + "/" + suffix;
        }

        @Override
        public String operatorName(String suffix) {
            return nodeId + ": " + suffix;
        }

        @Override
        public int parallelism() {
            return parallelism;
        }

        @Override
        public TypeInformation<SluiceRecord> recordType(Schema schema) {
            return new SluiceRecordTypeInfo(schema);
        }

        @Override
        public void addDeadLetters(DataStream<DeadLetter> stream) {
            deadLetters.add(stream);
        }

        @Override
        public String transactionalIdPrefix() {
            return "sluice-" + pipeline + "-" + nodeId;
        }

        @Override
        public String consumerGroupId() {
            return "sluice-" + pipeline + "-" + nodeId;
        }
    }
}
