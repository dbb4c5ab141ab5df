package dev.sluice.connectors.sink;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.PlatformContext;
import dev.sluice.sdk.factory.Provisioner;
import dev.sluice.sdk.factory.SinkFactory;
import dev.sluice.sdk.factory.TopicSpec;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Plans and translates a sink the way the platform does: config validated against the factory's
 * options with the pointers of a pipeline's first sink ({@code /sinks/0/config/...}), uids derived
 * from pipeline and node, dead letters kept for the test to collect.
 */
public final class TestSinkContexts {

    private TestSinkContexts() {}

    /** Plans {@code factory} for {@code input} with {@code config}, as sink {@code node}. */
    public static SinkFactory.PlannedSink plan(
            SinkFactory factory,
            Map<String, ?> config,
            StreamDescriptor input,
            String pipeline,
            Map<String, String> icebergCatalog) {
        return plan(factory, config, input, pipeline, icebergCatalog, false);
    }

    /** Plans {@code factory} as a node of a pipeline in batch mode when {@code bounded}. */
    public static SinkFactory.PlannedSink plan(
            SinkFactory factory,
            Map<String, ?> config,
            StreamDescriptor input,
            String pipeline,
            Map<String, String> icebergCatalog,
            boolean bounded) {
        NodeOptions options =
                NodeOptions.validate(
                        factory.identifier(),
                        factory.requiredOptions(),
                        factory.optionalOptions(),
                        Map.copyOf(config),
                        "/sinks/0/config");
        return factory.plan(new Context(pipeline, "sink", options, input, icebergCatalog, bounded));
    }

    /** A provisioner for sinks that create nothing in Kafka. */
    public static Provisioner noKafka() {
        return new Provisioner() {
            @Override
            public void ensureTopic(TopicSpec topic) {
                throw new UnsupportedOperationException("no topics in this test: " + topic);
            }

            @Override
            public int registerSchema(String subject, Schema schema) {
                throw new UnsupportedOperationException("no registry in this test: " + subject);
            }
        };
    }

    /** A translation context; its dead letters are in {@link Translation#deadLetters()}. */
    public static Translation translation(String pipeline, int parallelism) {
        return new Translation(pipeline, "sink", parallelism);
    }

    /** The translation context of one sink. */
    public static final class Translation implements TranslationContext {
        private final String pipeline;
        private final String nodeId;
        private final int parallelism;
        private final List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();

        Translation(String pipeline, String nodeId, int parallelism) {
            this.pipeline = pipeline;
            this.nodeId = nodeId;
            this.parallelism = parallelism;
        }

        /** The dead-letter streams the sink added, unioned; {@code null} when none. */
        public DataStream<DeadLetter> deadLetters() {
            DataStream<DeadLetter> all = null;
            for (DataStream<DeadLetter> d : deadLetters) {
                all = all == null ? d : all.union(d);
            }
            return all;
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

    private static final class Context implements SinkFactory.Context {
        private final String pipeline;
        private final String nodeId;
        private final NodeOptions options;
        private final StreamDescriptor input;
        private final Map<String, String> icebergCatalog;
        private final boolean bounded;

        Context(
                String pipeline,
                String nodeId,
                NodeOptions options,
                StreamDescriptor input,
                Map<String, String> icebergCatalog,
                boolean bounded) {
            this.bounded = bounded;
            this.pipeline = pipeline;
            this.nodeId = nodeId;
            this.options = options;
            this.input = input;
            this.icebergCatalog = icebergCatalog;
        }

        @Override
        public StreamDescriptor input() {
            return input;
        }

        @Override
        public boolean bounded() {
            return bounded;
        }

        @Override
        public String pipelineName() {
            return pipeline;
        }

        @Override
        public String nodeId() {
            return nodeId;
        }

        @Override
        public String pointer() {
            return "/sinks/0";
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
        public PlatformContext platform() {
            return new PlatformContext() {
                @Override
                public String kafkaBootstrapServers() {
                    throw new UnsupportedOperationException("no Kafka in sink tests");
                }

                @Override
                public Map<String, String> kafkaClientProperties() {
                    throw new UnsupportedOperationException("no Kafka in sink tests");
                }

                @Override
                public String schemaRegistryUrl() {
                    throw new UnsupportedOperationException("no registry in sink tests");
                }

                @Override
                public dev.sluice.schemas.registry.SchemaRegistryClient schemaRegistry() {
                    throw new UnsupportedOperationException("no registry in sink tests");
                }

                @Override
                public Map<String, String> icebergCatalog() {
                    return icebergCatalog;
                }
            };
        }

        @Override
        public ClassLoader classLoader() {
            return TestSinkContexts.class.getClassLoader();
        }
    }
}
