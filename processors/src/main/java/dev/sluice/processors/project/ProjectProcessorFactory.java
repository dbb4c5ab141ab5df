package dev.sluice.processors.project;

import dev.sluice.processors.expression.CompiledProjection;
import dev.sluice.processors.expression.ExpressionException;
import dev.sluice.processors.expression.ProjectionCompiler;
import dev.sluice.schemas.AvroSchemas;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.config.OptionType;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.functions.RecordProcessFunction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * The {@code project} processor: output fields as {@code name: SQL expression}, in the order given;
 * only the listed fields come out. The output schema is derived from the expressions' types at plan
 * time, so it can be registered and checked before anything runs.
 */
public final class ProjectProcessorFactory implements ProcessorFactory {

    public static final String IDENTIFIER = "project";

    public static final ConfigOption<Map<String, String>> FIELDS =
            ConfigOption.key("fields")
                    .type(OptionType.STRING_MAP)
                    .withDescription("output fields as {\"name\": \"SQL expression\"}, in order");

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(FIELDS);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    /** The Avro record name of a projection's output: stable per pipeline and node. */
    static String outputRecordName(String pipeline, String nodeId) {
        StringBuilder sb = new StringBuilder();
        for (char c : (pipeline + "_" + nodeId).toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return sb.toString();
    }

    @Override
    public PlannedProcessor plan(Context context) {
        NodeOptions options = context.options();
        LinkedHashMap<String, String> fields = new LinkedHashMap<>(options.get(FIELDS));
        if (fields.isEmpty()) {
            throw new ConfigValidationException(
                    options.pointer(FIELDS),
                    options.pointer(FIELDS) + ": name at least one output field");
        }
        StreamDescriptor input = context.singleInput();
        String recordName = outputRecordName(context.pipelineName(), context.nodeId());
        CompiledProjection projection;
        try {
            projection = ProjectionCompiler.compile(fields, input.schema(), recordName);
        } catch (ExpressionException e) {
            String pointer =
                    e.outputField() == null
                            ? options.pointer(FIELDS)
                            : options.pointer(FIELDS) + "/" + NodeOptions.escape(e.outputField());
            throw new ConfigValidationException(pointer, e.getMessage(), e);
        }
        Map<String, Set<String>> lineage = new LinkedHashMap<>();
        projection
                .lineage()
                .forEach(
                        (out, ins) -> {
                            Set<String> from = new TreeSet<>();
                            ins.forEach(f -> from.add(input.nodeId() + "." + f));
                            lineage.put(out, from);
                        });
        return new Planned(
                context.nodeId(), fields, input, recordName, projection.outputSchema(), lineage);
    }

    private static final class Planned implements PlannedProcessor {
        private final String nodeId;
        private final LinkedHashMap<String, String> fields;
        private final StreamDescriptor input;
        private final String recordName;
        private final Schema output;
        private final Map<String, Set<String>> lineage;

        Planned(
                String nodeId,
                LinkedHashMap<String, String> fields,
                StreamDescriptor input,
                String recordName,
                Schema output,
                Map<String, Set<String>> lineage) {
            this.nodeId = nodeId;
            this.fields = fields;
            this.input = input;
            this.recordName = recordName;
            this.output = output;
            this.lineage = lineage;
        }

        @Override
        public Schema outputSchema() {
            return output;
        }

        @Override
        public StreamKind outputKind() {
            return input.kind();
        }

        @Override
        public Map<String, Set<String>> lineage() {
            return lineage;
        }

        @Override
        public DataStream<SluiceRecord> translate(
                List<DataStream<SluiceRecord>> inputs, TranslationContext context) {
            return context.process(
                    inputs.get(0),
                    new ProjectFunction(nodeId, fields, input.schema().toString(), recordName),
                    output,
                    "project");
        }
    }

    /** Maps each record's value through the compiled projection. */
    static final class ProjectFunction extends RecordProcessFunction {
        private static final long serialVersionUID = 1L;
        private final LinkedHashMap<String, String> fields;
        private final String inputSchemaJson;
        private final String recordName;
        private transient CompiledProjection projection;

        ProjectFunction(
                String processorId,
                LinkedHashMap<String, String> fields,
                String inputSchemaJson,
                String recordName) {
            super(processorId);
            this.fields = fields;
            this.inputSchemaJson = inputSchemaJson;
            this.recordName = recordName;
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
            super.open(openContext);
            projection =
                    ProjectionCompiler.compile(
                            fields, AvroSchemas.parse(inputSchemaJson), recordName);
        }

        @Override
        protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
            out.collect(record.withValue(projection.project(record.value())));
        }
    }
}
