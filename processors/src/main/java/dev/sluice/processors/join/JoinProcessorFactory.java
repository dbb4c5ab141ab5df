package dev.sluice.processors.join;

import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.config.OptionType;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The {@code join} processor: joins a left and a right input on one field each, with changelog
 * semantics — an update on either side re-emits the affected output rows, keyed by the left
 * records' Kafka keys (see the package documentation for the exact rules). Everything about the
 * config and the output schema is checked at plan time; at run time one keyed two-input operator
 * keeps both sides' latest rows per join value in keyed state (RocksDB on the platform).
 */
public final class JoinProcessorFactory implements ProcessorFactory {

    public static final String IDENTIFIER = "join";

    public static final ConfigOption<String> KIND =
            ConfigOption.key("kind")
                    .type(OptionType.oneOf("inner", "left"))
                    .defaultValue("inner")
                    .withDescription(
                            "inner: only left rows with a matching right row; left: every left"
                                    + " row, right fields null without a match");

    public static final ConfigOption<Map<String, String>> ON =
            ConfigOption.key("on")
                    .type(OptionType.STRING_MAP)
                    .withDescription(
                            "the join field of each input: {\"<left input id>\": \"<field>\","
                                    + " \"<right input id>\": \"<field>\"}");

    public static final ConfigOption<Duration> TTL =
            ConfigOption.key("ttl")
                    .type(OptionType.DURATION)
                    .withDescription(
                            "how long a row is kept after its last change (processing time);"
                                    + " kept forever when absent");

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(ON);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(KIND, TTL);
    }

    @Override
    public PlannedProcessor plan(Context context) {
        String nodeId = context.nodeId();
        List<StreamDescriptor> inputs = context.inputs();
        if (inputs.size() != 2) {
            throw new ConfigValidationException(
                    context.pointer() + "/inputs",
                    "join '"
                            + nodeId
                            + "' reads exactly two inputs, [left, right], got "
                            + inputs.size());
        }
        StreamDescriptor left = inputs.get(0);
        StreamDescriptor right = inputs.get(1);
        if (left.nodeId().equals(right.nodeId())) {
            throw new ConfigValidationException(
                    context.pointer() + "/inputs/1",
                    "join '"
                            + nodeId
                            + "' reads '"
                            + left.nodeId()
                            + "' as both inputs; its left and right inputs must be different"
                            + " nodes");
        }
        NodeOptions options = context.options();
        boolean leftJoin = "left".equals(options.get(KIND));
        Duration ttl = options.getOptional(TTL).orElse(null);
        if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
            String at = options.pointer(TTL);
            throw new ConfigValidationException(
                    at,
                    at + ": expected a positive duration such as \"PT24H\", got \"" + ttl + "\"");
        }

        Map<String, String> on = options.get(ON);
        String onPointer = options.pointer(ON);
        String expected =
                "'on' names the join field of each input: {\""
                        + left.nodeId()
                        + "\": \"<field>\", \""
                        + right.nodeId()
                        + "\": \"<field>\"}";
        for (String key : on.keySet()) {
            if (!key.equals(left.nodeId()) && !key.equals(right.nodeId())) {
                String at = onPointer + "/" + NodeOptions.escape(key);
                throw new ConfigValidationException(
                        at,
                        "'"
                                + key
                                + "' at "
                                + at
                                + " is not an input of join '"
                                + nodeId
                                + "'; "
                                + expected);
            }
        }
        for (StreamDescriptor input : inputs) {
            if (!on.containsKey(input.nodeId())) {
                String at = onPointer + "/" + NodeOptions.escape(input.nodeId());
                throw new ConfigValidationException(
                        at,
                        "missing the join field of input '"
                                + input.nodeId()
                                + "' at "
                                + at
                                + "; "
                                + expected);
            }
        }
        String leftPointer = onPointer + "/" + NodeOptions.escape(left.nodeId());
        String rightPointer = onPointer + "/" + NodeOptions.escape(right.nodeId());
        Schema.Field leftField = JoinSchemas.joinField(left, on.get(left.nodeId()), leftPointer);
        Schema.Field rightField =
                JoinSchemas.joinField(right, on.get(right.nodeId()), rightPointer);
        JoinSchemas.checkCompatible(left, leftField, right, rightField, rightPointer);

        JoinSchemas.Output output =
                JoinSchemas.output(
                        nodeId,
                        context.pointer(),
                        JoinSchemas.outputRecordName(context.pipelineName(), nodeId),
                        left,
                        right,
                        leftJoin);
        return new Planned(
                nodeId, left, right, leftField.name(), rightField.name(), leftJoin, ttl, output);
    }

    private static final class Planned implements PlannedProcessor {
        private final String nodeId;
        private final StreamDescriptor left;
        private final StreamDescriptor right;
        private final String leftField;
        private final String rightField;
        private final boolean leftJoin;
        private final Duration ttl;
        private final JoinSchemas.Output output;

        Planned(
                String nodeId,
                StreamDescriptor left,
                StreamDescriptor right,
                String leftField,
                String rightField,
                boolean leftJoin,
                Duration ttl,
                JoinSchemas.Output output) {
            this.nodeId = nodeId;
            this.left = left;
            this.right = right;
            this.leftField = leftField;
            this.rightField = rightField;
            this.leftJoin = leftJoin;
            this.ttl = ttl;
            this.output = output;
        }

        @Override
        public Schema outputSchema() {
            return output.schema();
        }

        @Override
        public StreamKind outputKind() {
            return StreamKind.CHANGELOG;
        }

        /**
         * Each output field derives from its input field and, like a filter's fields from its
         * condition, from both join key fields: the keys decide which rows meet.
         */
        @Override
        public Map<String, Set<String>> lineage() {
            Map<String, Set<String>> withKeys = new java.util.LinkedHashMap<>();
            output.lineage()
                    .forEach(
                            (field, from) -> {
                                Set<String> all = new java.util.TreeSet<>(from);
                                all.add(left.nodeId() + "." + leftField);
                                all.add(right.nodeId() + "." + rightField);
                                withKeys.put(field, java.util.Collections.unmodifiableSet(all));
                            });
            return java.util.Collections.unmodifiableMap(withKeys);
        }

        @Override
        public DataStream<SluiceRecord> translate(
                List<DataStream<SluiceRecord>> inputs, TranslationContext context) {
            JoinFunction function =
                    new JoinFunction(
                            nodeId,
                            left.nodeId(),
                            right.nodeId(),
                            leftJoin,
                            left.schema().toString(),
                            right.schema().toString(),
                            output.schema().toString(),
                            ttl);
            // Left rows that change their join value retract their old entry first.
            DataStream<SluiceRecord> left =
                    inputs.get(0)
                            .keyBy(JoinMoves.byRowKey(), Types.STRING)
                            .process(new JoinMoves(leftField, ttl), inputs.get(0).getType())
                            .uid(context.uid("join-moves"))
                            .name(context.operatorName("join-moves"))
                            .setParallelism(context.parallelism());
            SingleOutputStreamOperator<SluiceRecord> joined =
                    left.keyBy(new JoinKeySelector(leftField), Types.STRING)
                            .connect(
                                    inputs.get(1)
                                            .keyBy(new JoinKeySelector(rightField), Types.STRING))
                            .process(function, new SluiceRecordTypeInfo(output.schema()))
                            .uid(context.uid("join"))
                            .name(context.operatorName("join"))
                            .setParallelism(context.parallelism());
            context.addDeadLetters(joined.getSideOutput(DeadLetters.TAG));
            return joined;
        }
    }
}
