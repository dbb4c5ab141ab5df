package dev.sluice.processors.kafka;

import static dev.sluice.processors.kafka.KafkaSinkOptions.COMPACT;
import static dev.sluice.processors.kafka.KafkaSinkOptions.PARTITIONS;
import static dev.sluice.processors.kafka.KafkaSinkOptions.TOPIC;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.Provisioner;
import dev.sluice.sdk.factory.SinkFactory;
import dev.sluice.sdk.factory.TopicSpec;
import dev.sluice.sdk.factory.TranslationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The {@code kafka} sink: writes the input's records, key preserved, as Avro in Confluent wire
 * format to a topic whose value schema is registered as {@code <topic>-value}. The topic is
 * published in the catalog as a derived source other pipelines can read.
 */
public final class KafkaSinkFactory implements SinkFactory {

    public static final String IDENTIFIER = "kafka";
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(TOPIC);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(PARTITIONS, COMPACT);
    }

    @Override
    public PlannedSink plan(Context context) {
        NodeOptions options = context.options();
        String topic = options.get(TOPIC);
        if (!TOPIC_NAME.matcher(topic).matches()) {
            throw new ConfigValidationException(
                    options.pointer(TOPIC),
                    options.pointer(TOPIC)
                            + ": '"
                            + topic
                            + "' is not a valid Kafka topic name (1-249 characters of"
                            + " a-z A-Z 0-9 . _ -)");
        }
        int partitions = options.get(PARTITIONS);
        if (partitions < 1) {
            throw new ConfigValidationException(
                    options.pointer(PARTITIONS),
                    options.pointer(PARTITIONS) + ": expected at least 1, got " + partitions);
        }
        StreamDescriptor input = context.input();
        boolean compact = options.getOptional(COMPACT).orElse(input.kind() == StreamKind.CHANGELOG);
        return new Planned(
                topic,
                partitions,
                compact,
                input,
                context.platform().kafkaBootstrapServers(),
                context.delivery(),
                context.pipelineName());
    }

    private static final class Planned implements PlannedSink {
        private final String topic;
        private final int partitions;
        private final boolean compact;
        private final StreamDescriptor input;
        private final String bootstrapServers;
        private final Delivery delivery;
        private final String pipeline;
        private int schemaId = -1;

        Planned(
                String topic,
                int partitions,
                boolean compact,
                StreamDescriptor input,
                String bootstrapServers,
                Delivery delivery,
                String pipeline) {
            this.pipeline = pipeline;
            this.topic = topic;
            this.partitions = partitions;
            this.compact = compact;
            this.input = input;
            this.bootstrapServers = bootstrapServers;
            this.delivery = delivery;
        }

        @Override
        public List<String> topics() {
            return List.of(topic);
        }

        @Override
        public void provision(Provisioner provisioner) {
            provisioner.ensureTopic(
                    new TopicSpec(
                            topic,
                            partitions,
                            Map.of("cleanup.policy", compact ? "compact" : "delete")));
            schemaId = provisioner.registerSchema(topic + "-value", input.schema());
            // Keys the pipeline made are framed with the id of this schema; the registry gives an
            // equal schema the same id under every subject, so the bytes stay valid as they are.
            input.keySchema().ifPresent(k -> provisioner.registerSchema(topic + "-key", k));
        }

        @Override
        public void translate(DataStream<SluiceRecord> stream, TranslationContext context) {
            if (schemaId < 0) {
                throw new IllegalStateException("kafka sink translated before provisioning");
            }
            stream.sinkTo(
                            KafkaWriters.build(
                                    bootstrapServers,
                                    new ConfluentRecordSerializer(
                                            topic,
                                            schemaId,
                                            input.schema().toString(),
                                            pipeline,
                                            input.nodeId()),
                                    delivery,
                                    context.transactionalIdPrefix()))
                    .name(context.operatorName("kafka:" + topic))
                    .uid(context.uid("kafka-sink"))
                    .setParallelism(context.parallelism());
        }
    }
}
