package dev.sluice.processors.union;

import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.TranslationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The {@code union} processor: merges two or more inputs of one kind (all append or all changelog)
 * into one stream. The output schema unifies the inputs' schemas at plan time (see {@link
 * UnionSchemas} for the rules: every field of any input, missing ones nullable, safe numeric
 * widenings), so an incompatible input is refused before anything runs; at run time each input
 * whose schema differs from the output is aligned to it by a small map operator.
 */
public final class UnionProcessorFactory implements ProcessorFactory {

    public static final String IDENTIFIER = "union";

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    /** The Avro record name of a union's output: stable per pipeline and node. */
    static String outputRecordName(String pipeline, String nodeId) {
        StringBuilder sb = new StringBuilder();
        for (char c : (pipeline + "_" + nodeId).toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) || c == '_' ? c : '_');
        }
        // An Avro name cannot start with a digit.
        return Character.isDigit(sb.charAt(0)) ? "_" + sb : sb.toString();
    }

    @Override
    public PlannedProcessor plan(Context context) {
        List<StreamDescriptor> inputs = context.inputs();
        if (inputs.size() < 2) {
            throw new ConfigValidationException(
                    context.pointer() + "/inputs",
                    "union '"
                            + context.nodeId()
                            + "' needs at least two inputs, got "
                            + inputs.size()
                            + "; a single input can be read directly");
        }
        StreamKind kind = inputs.get(0).kind();
        for (int i = 1; i < inputs.size(); i++) {
            if (inputs.get(i).kind() != kind) {
                throw new ConfigValidationException(
                        context.pointer() + "/inputs/" + i,
                        "union '"
                                + context.nodeId()
                                + "': inputs must all be append streams or all changelogs, got "
                                + inputs.stream()
                                        .map(
                                                in ->
                                                        "'"
                                                                + in.nodeId()
                                                                + "' ("
                                                                + in.kind()
                                                                        .name()
                                                                        .toLowerCase(Locale.ROOT)
                                                                + ")")
                                        .collect(Collectors.joining(", ")));
            }
        }
        UnionSchemas.Unified unified =
                UnionSchemas.unify(
                        context.nodeId(),
                        context.pointer(),
                        outputRecordName(context.pipelineName(), context.nodeId()),
                        inputs);
        return new Planned(context.nodeId(), inputs, kind, unified);
    }

    private static final class Planned implements PlannedProcessor {
        private final String nodeId;
        private final List<StreamDescriptor> inputs;
        private final StreamKind kind;
        private final UnionSchemas.Unified unified;

        Planned(
                String nodeId,
                List<StreamDescriptor> inputs,
                StreamKind kind,
                UnionSchemas.Unified unified) {
            this.nodeId = nodeId;
            this.inputs = List.copyOf(inputs);
            this.kind = kind;
            this.unified = unified;
        }

        @Override
        public Schema outputSchema() {
            return unified.schema();
        }

        @Override
        public StreamKind outputKind() {
            return kind;
        }

        @Override
        public Map<String, Set<String>> lineage() {
            return unified.lineage();
        }

        @Override
        @SuppressWarnings("unchecked")
        public DataStream<SluiceRecord> translate(
                List<DataStream<SluiceRecord>> streams, TranslationContext context) {
            Schema output = unified.schema();
            List<DataStream<SluiceRecord>> aligned = new ArrayList<>();
            for (int i = 0; i < streams.size(); i++) {
                StreamDescriptor input = inputs.get(i);
                if (input.schema().equals(output)) {
                    aligned.add(streams.get(i));
                    continue;
                }
                SingleOutputStreamOperator<SluiceRecord> op =
                        streams.get(i)
                                .process(
                                        new UnionAlignFunction(
                                                nodeId,
                                                input.nodeId(),
                                                input.schema().toString(),
                                                output.toString()),
                                        context.recordType(output))
                                .name(context.operatorName("union align " + input.nodeId()))
                                .uid(context.uid("align-" + i))
                                .setParallelism(context.parallelism());
                context.addDeadLetters(op.getSideOutput(DeadLetters.TAG));
                aligned.add(op);
            }
            return aligned.get(0)
                    .union(aligned.subList(1, aligned.size()).toArray(new DataStream[0]));
        }
    }
}
