package dev.sluice.sdk.testing;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.PlatformContext;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * Runs one processor the way the platform does, without Kafka or a cluster: its config is checked
 * against the factory's options with the same rules and JSON pointers as a pipeline's ({@code
 * /processors/0/config/...}), the factory plans it against the declared input schemas, and {@link
 * #run} translates it into a Flink job that reads in-memory records, runs on Flink's local
 * execution (parallelism 1, object reuse on, as the platform runs jobs) and collects the outputs
 * and dead letters.
 *
 * <pre>{@code
 * ProcessorTestHarness harness =
 *         ProcessorTestHarness.of(new MaskProcessorFactory())
 *                 .config(Map.of("fields", List.of("email")))
 *                 .input("orders", ORDER_SCHEMA)
 *                 .build();                       // ConfigValidationException on bad config
 * ProcessorRun run = harness.run(List.of(order1, order2));
 * run.outputs();                                  // GenericRecords, in order
 * run.deadLetters();                              // with processor id, origin and reason
 * }</pre>
 *
 * <p>Record {@code i} of input {@code X} enters with no key, timestamp {@code i} and origin topic
 * {@code X}, partition 0, offset {@code i}, so dead letters say which input record failed. To test
 * state across a snapshot and a restore, use {@link FunctionHarness}.
 */
@PublicEvolving
public final class ProcessorTestHarness {

    private static final TypeInformation<DeadLetter> DEAD_LETTER_TYPE =
            TypeInformation.of(DeadLetter.class);

    private final String pipelineName;
    private final String nodeId;
    private final List<StreamDescriptor> inputs;
    private final ProcessorFactory.PlannedProcessor planned;

    private ProcessorTestHarness(
            String pipelineName,
            String nodeId,
            List<StreamDescriptor> inputs,
            ProcessorFactory.PlannedProcessor planned) {
        this.pipelineName = pipelineName;
        this.nodeId = nodeId;
        this.inputs = inputs;
        this.planned = planned;
    }

    /** Starts a harness for a processor of {@code factory}. */
    public static Builder of(ProcessorFactory factory) {
        return new Builder(factory);
    }

    /** The output schema the processor declared when it was planned. */
    public Schema outputSchema() {
        return planned.outputSchema();
    }

    /** The output kind the processor declared. */
    public StreamKind outputKind() {
        return planned.outputKind();
    }

    /** The field-level lineage the processor declared. */
    public Map<String, Set<String>> lineage() {
        return planned.lineage();
    }

    /** The planned processor itself. */
    public ProcessorFactory.PlannedProcessor planned() {
        return planned;
    }

    /** Runs the values through a processor with exactly one input. */
    public ProcessorRun run(List<GenericRecord> values) throws Exception {
        if (inputs.size() != 1) {
            throw new IllegalStateException(
                    "run(List) feeds a processor with one input; this one has "
                            + inputs.size()
                            + " ("
                            + inputIds()
                            + "): use run(Map)");
        }
        return run(Map.of(inputs.get(0).nodeId(), values));
    }

    /**
     * Runs the values of each input (by input id) through the processor; absent inputs are empty.
     */
    public ProcessorRun run(Map<String, List<GenericRecord>> valuesByInput) throws Exception {
        Map<String, List<SluiceRecord>> records = new LinkedHashMap<>();
        valuesByInput.forEach((id, values) -> records.put(id, InputRecords.of(id, values)));
        return runRecords(records);
    }

    /**
     * Runs whole records (keys, timestamps, origins, tombstones) of each input through the
     * processor; absent inputs are empty.
     */
    public ProcessorRun runRecords(Map<String, List<SluiceRecord>> recordsByInput)
            throws Exception {
        for (String id : recordsByInput.keySet()) {
            if (inputs.stream().noneMatch(i -> i.nodeId().equals(id))) {
                throw new IllegalArgumentException(
                        "no input '" + id + "'; the processor's inputs are " + inputIds());
            }
        }
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);

        List<DataStream<SluiceRecord>> streams = new ArrayList<>();
        for (StreamDescriptor input : inputs) {
            List<SluiceRecord> records = recordsByInput.getOrDefault(input.nodeId(), List.of());
            SluiceRecordTypeInfo type = new SluiceRecordTypeInfo(input.schema());
            // Flink's collection source cannot be empty: an empty input is one that emits nothing.
            SingleOutputStreamOperator<SluiceRecord> source =
                    records.isEmpty()
                            ? env.fromSequence(0, 0).flatMap(new NoRecords(), type)
                            : env.fromData(records, type);
            streams.add(
                    source.name(input.nodeId())
                            .assignTimestampsAndWatermarks(
                                    WatermarkStrategy.<SluiceRecord>noWatermarks()
                                            .withTimestampAssigner(new RecordTimestamp()))
                            .name(input.nodeId() + ": timestamps"));
        }
        Context context = new Context(pipelineName, nodeId);
        DataStream<SluiceRecord> out = planned.translate(streams, context);
        SluiceRecordTypeInfo declared = new SluiceRecordTypeInfo(planned.outputSchema());
        if (!declared.equals(out.getType())) {
            throw new IllegalStateException(
                    "processor '"
                            + nodeId
                            + "' declares output "
                            + declared
                            + " but translate() returned a stream of "
                            + out.getType()
                            + "; give its last operator context.recordType(outputSchema())");
        }

        EitherTypeInfo<SluiceRecord, DeadLetter> tagged =
                new EitherTypeInfo<>(declared, DEAD_LETTER_TYPE);
        DataStream<Either<SluiceRecord, DeadLetter>> all =
                out.map(new AsOutput(nodeId, planned.outputSchema().toString()), tagged)
                        .name("harness: outputs");
        for (DataStream<DeadLetter> dl : context.deadLetters) {
            all = all.union(dl.map(new AsDeadLetter(), tagged).name("harness: dead letters"));
        }

        List<SluiceRecord> outputs = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        try (CloseableIterator<Either<SluiceRecord, DeadLetter>> it =
                all.executeAndCollect("sluice-harness:" + nodeId)) {
            while (it.hasNext()) {
                Either<SluiceRecord, DeadLetter> next = it.next();
                if (next.isLeft()) {
                    outputs.add(next.left());
                } else {
                    deadLetters.add(next.right());
                }
            }
        }
        return new ProcessorRun(outputs, deadLetters);
    }

    private List<String> inputIds() {
        List<String> ids = new ArrayList<>();
        inputs.forEach(i -> ids.add(i.nodeId()));
        return ids;
    }

    /** Builds a {@link ProcessorTestHarness}: config, inputs, then {@link #build()} plans. */
    public static final class Builder {
        private final ProcessorFactory factory;
        private final List<StreamDescriptor> inputs = new ArrayList<>();
        private Map<String, Object> config = Map.of();
        private String pipelineName = "harness";
        private String nodeId = "processor";
        private Delivery delivery = Delivery.EXACTLY_ONCE;
        private PlatformContext platform = new NoPlatform();

        private Builder(ProcessorFactory factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
        }

        /**
         * The node's {@code config} as the pipeline JSON would give it: strings, numbers, booleans,
         * {@code List}s and {@code Map}s. Secret references are not resolved.
         */
        public Builder config(Map<String, ?> config) {
            this.config = new LinkedHashMap<>(Objects.requireNonNull(config, "config"));
            return this;
        }

        /**
         * Adds an append-only input, produced by node {@code id}, whose values have {@code schema}.
         */
        public Builder input(String id, Schema schema) {
            return input(id, schema, StreamKind.APPEND);
        }

        /** Adds an input of the given kind; inputs keep the order they are added in. */
        public Builder input(String id, Schema schema, StreamKind kind) {
            for (StreamDescriptor existing : inputs) {
                if (existing.nodeId().equals(id)) {
                    throw new IllegalArgumentException("input '" + id + "' is declared twice");
                }
            }
            inputs.add(new StreamDescriptor(id, schema, kind));
            return this;
        }

        /** The processor's node id, as dead letters and lineage name it (default "processor"). */
        public Builder nodeId(String nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            return this;
        }

        /** The pipeline's name (default "harness"). */
        public Builder pipelineName(String pipelineName) {
            this.pipelineName = Objects.requireNonNull(pipelineName, "pipelineName");
            return this;
        }

        /** The pipeline's delivery guarantee (default exactly-once). */
        public Builder delivery(Delivery delivery) {
            this.delivery = Objects.requireNonNull(delivery, "delivery");
            return this;
        }

        /**
         * The platform services planning may use. By default there are none: a processor that looks
         * up Kafka or the registry while it is planned fails with a message saying so.
         */
        public Builder platform(PlatformContext platform) {
            this.platform = Objects.requireNonNull(platform, "platform");
            return this;
        }

        /**
         * Validates the config against the factory's options and plans the processor.
         *
         * @throws ConfigValidationException naming the field at fault, as the platform would
         */
        public ProcessorTestHarness build() {
            if (inputs.isEmpty()) {
                throw new IllegalStateException(
                        "declare the processor's inputs with input(id, schema) before build()");
            }
            String pointer = "/processors/0";
            NodeOptions options =
                    NodeOptions.validate(
                            factory.identifier(),
                            factory.requiredOptions(),
                            factory.optionalOptions(),
                            config,
                            pointer + "/config");
            PlanningContext context =
                    new PlanningContext(
                            pipelineName,
                            nodeId,
                            pointer,
                            options,
                            delivery,
                            platform,
                            factory.getClass().getClassLoader(),
                            List.copyOf(inputs));
            ProcessorFactory.PlannedProcessor planned = factory.plan(context);
            if (planned == null || planned.outputSchema() == null) {
                throw new IllegalStateException(
                        "factory '"
                                + factory.identifier()
                                + "' planned no processor or no output schema");
            }
            return new ProcessorTestHarness(pipelineName, nodeId, List.copyOf(inputs), planned);
        }
    }

    /** The planning context the platform would give the node. */
    private static final class PlanningContext implements ProcessorFactory.Context {
        private final String pipelineName;
        private final String nodeId;
        private final String pointer;
        private final NodeOptions options;
        private final Delivery delivery;
        private final PlatformContext platform;
        private final ClassLoader classLoader;
        private final List<StreamDescriptor> inputs;

        PlanningContext(
                String pipelineName,
                String nodeId,
                String pointer,
                NodeOptions options,
                Delivery delivery,
                PlatformContext platform,
                ClassLoader classLoader,
                List<StreamDescriptor> inputs) {
            this.pipelineName = pipelineName;
            this.nodeId = nodeId;
            this.pointer = pointer;
            this.options = options;
            this.delivery = delivery;
            this.platform = platform;
            this.classLoader = classLoader;
            this.inputs = inputs;
        }

        @Override
        public List<StreamDescriptor> inputs() {
            return inputs;
        }

        @Override
        public String pipelineName() {
            return pipelineName;
        }

        @Override
        public String nodeId() {
            return nodeId;
        }

        @Override
        public String pointer() {
            return pointer;
        }

        @Override
        public NodeOptions options() {
            return options;
        }

        @Override
        public Delivery delivery() {
            return delivery;
        }

        @Override
        public PlatformContext platform() {
            return platform;
        }

        @Override
        public ClassLoader classLoader() {
            return classLoader;
        }
    }

    /** The translation context: uids and names as the platform derives them, dead letters kept. */
    private static final class Context implements TranslationContext {
        private final String pipeline;
        private final String nodeId;
        private final List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();

        Context(String pipeline, String nodeId) {
            this.pipeline = pipeline;
            this.nodeId = nodeId;
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
            return 1;
        }

        @Override
        public TypeInformation<SluiceRecord> recordType(Schema schema) {
            return new SluiceRecordTypeInfo(schema);
        }

        @Override
        public void addDeadLetters(DataStream<DeadLetter> stream) {
            deadLetters.add(Objects.requireNonNull(stream, "deadLetters"));
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

    /** No platform services: planning in the harness needs none unless the test gives them. */
    private static final class NoPlatform implements PlatformContext {
        private static UnsupportedOperationException none(String what) {
            return new UnsupportedOperationException(
                    "the processor asked for "
                            + what
                            + " while it was planned; the harness has none: pass one with"
                            + " ProcessorTestHarness.Builder#platform");
        }

        @Override
        public String kafkaBootstrapServers() {
            throw none("Kafka's bootstrap servers");
        }

        @Override
        public Map<String, String> kafkaClientProperties() {
            throw none("Kafka client properties");
        }

        @Override
        public String schemaRegistryUrl() {
            throw none("the schema registry URL");
        }

        @Override
        public dev.sluice.schemas.registry.SchemaRegistryClient schemaRegistry() {
            throw none("a schema registry client");
        }
    }

    /** The source of an input without records. */
    private static final class NoRecords implements FlatMapFunction<Long, SluiceRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(Long ignored, Collector<SluiceRecord> out) {}
    }

    /** A record's event time is its own timestamp, as for records read from Kafka. */
    private static final class RecordTimestamp
            implements SerializableTimestampAssigner<SluiceRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public long extractTimestamp(SluiceRecord record, long previous) {
            return record.timestamp();
        }
    }

    /**
     * Tags an output; fails the run when its value does not have the declared schema (the Kafka
     * sink would write it with the declared one, field by position).
     */
    private static final class AsOutput
            implements MapFunction<SluiceRecord, Either<SluiceRecord, DeadLetter>> {
        private static final long serialVersionUID = 1L;
        private final String nodeId;
        private final String schemaJson;
        private transient Schema schema;

        AsOutput(String nodeId, String schemaJson) {
            this.nodeId = nodeId;
            this.schemaJson = schemaJson;
        }

        @Override
        public Either<SluiceRecord, DeadLetter> map(SluiceRecord record) {
            if (schema == null) {
                schema = new Schema.Parser().parse(schemaJson);
            }
            if (record.value() != null && !schema.equals(record.value().getSchema())) {
                throw new IllegalStateException(
                        "processor '"
                                + nodeId
                                + "' emitted a value with schema "
                                + record.value().getSchema()
                                + " but declares "
                                + schema);
            }
            return Either.Left(record);
        }
    }

    /** Tags a dead letter. */
    private static final class AsDeadLetter
            implements MapFunction<DeadLetter, Either<SluiceRecord, DeadLetter>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Either<SluiceRecord, DeadLetter> map(DeadLetter deadLetter) {
            return Either.Right(deadLetter);
        }
    }
}
