package dev.sluice.connectors.kafka;

import static dev.sluice.connectors.kafka.KafkaSourceOptions.EVENT_TIME;
import static dev.sluice.connectors.kafka.KafkaSourceOptions.STARTING_OFFSETS;
import static dev.sluice.connectors.kafka.KafkaSourceOptions.STOPPING_OFFSETS;
import static dev.sluice.connectors.kafka.KafkaSourceOptions.TOPIC;
import static dev.sluice.connectors.kafka.KafkaSourceOptions.UPSERT;

import dev.sluice.schemas.registry.RegisteredSchema;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.NodeContext;
import dev.sluice.sdk.factory.Provisioner;
import dev.sluice.sdk.factory.SourceFactory;
import dev.sluice.sdk.factory.TopicSpec;
import dev.sluice.sdk.factory.TranslationContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The {@code kafka} source: an existing topic (or another pipeline's published output) whose values
 * are Avro in Confluent wire format with a schema registered under {@code <topic>-value}. Reads
 * committed records only, so upstream transactions that abort are never seen.
 */
public final class KafkaSourceFactory implements SourceFactory {

    public static final String IDENTIFIER = "kafka";

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
        return Set.of(STARTING_OFFSETS, UPSERT, EVENT_TIME, STOPPING_OFFSETS);
    }

    @Override
    public PlannedSource plan(NodeContext context) {
        NodeOptions options = context.options();
        String topic = options.get(TOPIC);
        if (topic.isBlank()) {
            throw new ConfigValidationException(options.pointer(TOPIC), "topic must not be empty");
        }
        String startingOffsets = options.get(STARTING_OFFSETS);
        OffsetsInitializer offsets = parseStartingOffsets(startingOffsets, options);
        OffsetsInitializer stopping = null;
        if (context.bounded()) {
            // A batch run reads its range afresh each time: no committed offsets.
            offsets = parseOffsets(startingOffsets, options, STARTING_OFFSETS, "earliest");
            stopping =
                    parseOffsets(
                            options.getOptional(STOPPING_OFFSETS).orElse("latest"),
                            options,
                            STOPPING_OFFSETS,
                            "latest");
        } else if (options.contains(STOPPING_OFFSETS)) {
            throw new ConfigValidationException(
                    options.pointer(STOPPING_OFFSETS),
                    options.pointer(STOPPING_OFFSETS)
                            + ": stoppingOffsets is for batch pipelines (\"mode\": \"batch\");"
                            + " a streaming pipeline reads on");
        }
        String subject = topic + "-value";
        Optional<RegisteredSchema> registered =
                context.platform().schemaRegistry().getLatest(subject);
        if (registered.isEmpty()) {
            throw new ConfigValidationException(
                    options.pointer(TOPIC),
                    "topic '"
                            + topic
                            + "' has no schema registered under subject '"
                            + subject
                            + "' in the schema registry at "
                            + context.platform().schemaRegistryUrl()
                            + "; register its Avro value schema first (produce with a"
                            + " registry-aware serializer)");
        }
        Schema schema = registered.get().schema();
        if (schema.getType() != Schema.Type.RECORD) {
            throw new ConfigValidationException(
                    options.pointer(TOPIC),
                    "the value schema of topic '"
                            + topic
                            + "' is "
                            + schema.getType()
                            + "; Sluice reads Avro records only");
        }
        boolean upsert = options.getOptional(UPSERT).orElse(schema.getField("__op") != null);
        StreamDescriptor output =
                new StreamDescriptor(
                        context.nodeId(),
                        schema,
                        upsert ? StreamKind.CHANGELOG : StreamKind.APPEND);
        if (options.contains(EVENT_TIME)) {
            output =
                    output.withEventTime(
                            KafkaEventTime.parse(
                                    options.get(EVENT_TIME),
                                    options.pointer(EVENT_TIME),
                                    topic,
                                    schema));
        }
        return new Planned(
                context.nodeId(),
                topic,
                DeadLetters.replayTopicOf(context.pipelineName()),
                context.platform().kafkaBootstrapServers(),
                context.platform().schemaRegistryUrl(),
                offsets,
                stopping,
                output);
    }

    /** Offsets of a bounded read: {@code earliest}, {@code latest} or an epoch-millis timestamp. */
    private static OffsetsInitializer parseOffsets(
            String value, NodeOptions options, ConfigOption<String> option, String allowedWord) {
        if (value.equals("earliest")) {
            return OffsetsInitializer.earliest();
        }
        if (value.equals("latest")) {
            return OffsetsInitializer.latest();
        }
        try {
            return OffsetsInitializer.timestamp(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new ConfigValidationException(
                    options.pointer(option),
                    options.pointer(option)
                            + ": expected "
                            + (option == STOPPING_OFFSETS ? "latest" : "earliest, latest")
                            + " or an epoch-millis timestamp, got \""
                            + value
                            + "\"");
        }
    }

    private static OffsetsInitializer parseStartingOffsets(String value, NodeOptions options) {
        switch (value) {
            case "earliest":
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case "latest":
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST);
            default:
                try {
                    return OffsetsInitializer.timestamp(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    throw new ConfigValidationException(
                            options.pointer(STARTING_OFFSETS),
                            options.pointer(STARTING_OFFSETS)
                                    + ": expected earliest, latest or an epoch-millis timestamp,"
                                    + " got \""
                                    + value
                                    + "\"");
                }
        }
    }

    private static final class Planned implements PlannedSource {
        private final String nodeId;
        private final String topic;
        private final String replayTopic;
        private final String bootstrapServers;
        private final String registryUrl;
        private final OffsetsInitializer offsets;
        private final OffsetsInitializer stopping;
        private final StreamDescriptor output;

        Planned(
                String nodeId,
                String topic,
                String replayTopic,
                String bootstrapServers,
                String registryUrl,
                OffsetsInitializer offsets,
                OffsetsInitializer stopping,
                StreamDescriptor output) {
            this.stopping = stopping;
            this.nodeId = nodeId;
            this.topic = topic;
            this.replayTopic = replayTopic;
            this.bootstrapServers = bootstrapServers;
            this.registryUrl = registryUrl;
            this.offsets = offsets;
            this.output = output;
        }

        @Override
        public StreamDescriptor output() {
            return output;
        }

        @Override
        public List<String> topics() {
            return List.of(topic);
        }

        /**
         * Creates the topic when it does not exist yet (a schema can be registered before anything
         * is produced), as broker auto-creation would; an existing topic is left as it is.
         */
        @Override
        public void provision(Provisioner provisioner) {
            provisioner.ensureTopic(new TopicSpec(topic, 1, Map.of()));
            provisioner.ensureTopic(new TopicSpec(replayTopic, 1, Map.of()));
        }

        @Override
        public DataStream<SluiceRecord> translate(
                StreamExecutionEnvironment env, TranslationContext context) {
            TypeInformation<SluiceRecord> type = context.recordType(output.schema());
            var builder =
                    KafkaSource.<SluiceRecord>builder()
                            .setBootstrapServers(bootstrapServers)
                            .setGroupId(context.consumerGroupId())
                            .setStartingOffsets(offsets)
                            .setDeserializer(
                                    new RawKafkaRecordDeserializer(type, topic, replayTopic))
                            .setProperty("isolation.level", "read_committed");
            if (stopping != null) {
                // A batch run: read the range and end; replays belong to streaming pipelines.
                builder.setTopics(topic).setBounded(stopping);
            } else {
                builder.setTopics(topic, replayTopic)
                        .setProperty("commit.offsets.on.checkpoint", "true");
            }
            KafkaSource<SluiceRecord> source = builder.build();
            SingleOutputStreamOperator<SluiceRecord> decoded =
                    env.fromSource(
                                    source,
                                    WatermarkStrategy.noWatermarks(),
                                    context.operatorName("kafka"),
                                    type)
                            .uid(context.uid("kafka-source"))
                            .setParallelism(context.parallelism())
                            .process(
                                    new AvroDecodeFunction(
                                            nodeId, registryUrl, output.schema().toString()),
                                    type)
                            .name(context.operatorName("decode"))
                            .uid(context.uid("decode"))
                            .setParallelism(context.parallelism());
            context.addDeadLetters(decoded.getSideOutput(dev.sluice.sdk.DeadLetters.TAG));
            if (output.eventTime().isEmpty()) {
                return decoded;
            }
            // Event time from the value's field, for windows downstream (sql).
            return decoded.assignTimestampsAndWatermarks(
                            KafkaEventTime.watermarks(output.eventTime().get(), output.schema()))
                    .name(context.operatorName("watermarks"))
                    .uid(context.uid("watermarks"))
                    .setParallelism(context.parallelism());
        }
    }
}
