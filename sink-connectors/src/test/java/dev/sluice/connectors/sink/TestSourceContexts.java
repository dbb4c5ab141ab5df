package dev.sluice.connectors.sink;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.NodeContext;
import dev.sluice.sdk.factory.PlatformContext;
import dev.sluice.sdk.factory.SourceFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Plans and translates a source the way the platform does: config validated against the factory's
 * options with the pointers of a pipeline's first source ({@code /sources/0/config/...}), node id
 * {@code source}, uids derived from pipeline and node.
 */
public final class TestSourceContexts {

    /** The node id sources get in these tests. */
    public static final String NODE = "source";

    private TestSourceContexts() {}

    /**
     * Plans {@code factory} with {@code config} in a batch ({@code bounded}) or streaming pipeline.
     */
    public static SourceFactory.PlannedSource plan(
            SourceFactory factory,
            Map<String, ?> config,
            String pipeline,
            Map<String, String> icebergCatalog,
            boolean bounded) {
        NodeOptions options =
                NodeOptions.validate(
                        factory.identifier(),
                        factory.requiredOptions(),
                        factory.optionalOptions(),
                        Map.copyOf(config),
                        "/sources/0/config");
        return factory.plan(new Context(pipeline, options, icebergCatalog, bounded));
    }

    /** A translation context of the source; its dead letters are collected by the test. */
    public static TestSinkContexts.Translation translation(String pipeline, int parallelism) {
        return new TestSinkContexts.Translation(pipeline, NODE, parallelism);
    }

    /** What a batch job of one source produced. */
    public static final class Output {
        public final List<SluiceRecord> records;
        public final List<DeadLetter> deadLetters;

        Output(List<SluiceRecord> records, List<DeadLetter> deadLetters) {
            this.records = records;
            this.deadLetters = deadLetters;
        }
    }

    /**
     * Runs {@code planned} in a bounded job ({@code execution.runtime-mode=BATCH}, no checkpoints)
     * on a local MiniCluster with {@code parallelism} slots; its records and dead letters.
     */
    public static Output runBatch(
            SourceFactory.PlannedSource planned, String pipeline, int parallelism)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(32));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(32));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(32));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        TestSinkContexts.Translation ctx = translation(pipeline, parallelism);
        DataStream<SluiceRecord> stream = planned.translate(env, ctx);
        CloseableIterator<SluiceRecord> records = stream.collectAsync();
        DataStream<DeadLetter> deadLetterStream = ctx.deadLetters();
        CloseableIterator<DeadLetter> deadLetters =
                deadLetterStream == null ? null : deadLetterStream.collectAsync();
        env.execute("source-test");
        List<SluiceRecord> outRecords = new ArrayList<>();
        records.forEachRemaining(outRecords::add);
        records.close();
        List<DeadLetter> outDeadLetters = new ArrayList<>();
        if (deadLetters != null) {
            deadLetters.forEachRemaining(outDeadLetters::add);
            deadLetters.close();
        }
        return new Output(outRecords, outDeadLetters);
    }

    private static final class Context implements NodeContext {
        private final String pipeline;
        private final NodeOptions options;
        private final Map<String, String> icebergCatalog;
        private final boolean bounded;

        Context(
                String pipeline,
                NodeOptions options,
                Map<String, String> icebergCatalog,
                boolean bounded) {
            this.pipeline = pipeline;
            this.options = options;
            this.icebergCatalog = icebergCatalog;
            this.bounded = bounded;
        }

        @Override
        public String pipelineName() {
            return pipeline;
        }

        @Override
        public String nodeId() {
            return NODE;
        }

        @Override
        public String pointer() {
            return "/sources/0";
        }

        @Override
        public NodeOptions options() {
            return options;
        }

        @Override
        public Delivery delivery() {
            return Delivery.EXACTLY_ONCE;
        }

        @Override
        public boolean bounded() {
            return bounded;
        }

        @Override
        public PlatformContext platform() {
            return new PlatformContext() {
                @Override
                public String kafkaBootstrapServers() {
                    throw new UnsupportedOperationException("no Kafka in source tests");
                }

                @Override
                public Map<String, String> kafkaClientProperties() {
                    throw new UnsupportedOperationException("no Kafka in source tests");
                }

                @Override
                public String schemaRegistryUrl() {
                    throw new UnsupportedOperationException("no registry in source tests");
                }

                @Override
                public dev.sluice.schemas.registry.SchemaRegistryClient schemaRegistry() {
                    throw new UnsupportedOperationException("no registry in source tests");
                }

                @Override
                public Map<String, String> icebergCatalog() {
                    return icebergCatalog;
                }
            };
        }

        @Override
        public ClassLoader classLoader() {
            return TestSourceContexts.class.getClassLoader();
        }
    }
}
