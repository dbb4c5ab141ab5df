package dev.sluice.processors.filter;

import dev.sluice.processors.expression.CompiledPredicate;
import dev.sluice.processors.expression.ExpressionCompiler;
import dev.sluice.processors.expression.ExpressionException;
import dev.sluice.schemas.AvroSchemas;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
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
 * The {@code filter} processor: keeps the records whose SQL boolean {@code condition} is TRUE (SQL
 * three-valued logic: NULL drops the record). The condition is parsed and type-checked against the
 * input schema at plan time and compiled once per operator instance.
 */
public final class FilterProcessorFactory implements ProcessorFactory {

    public static final String IDENTIFIER = "filter";

    public static final ConfigOption<String> CONDITION =
            ConfigOption.key("condition")
                    .stringType()
                    .withDescription("a SQL boolean expression over the input's fields");

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(CONDITION);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public PlannedProcessor plan(Context context) {
        StreamDescriptor input = context.singleInput();
        String condition = context.options().get(CONDITION);
        Set<String> referenced;
        try {
            referenced = ExpressionCompiler.compile(condition, input.schema()).referencedFields();
            ExpressionCompiler.compilePredicate(condition, input.schema());
        } catch (ExpressionException e) {
            throw new ConfigValidationException(
                    context.options().pointer(CONDITION), e.getMessage(), e);
        }
        return new Planned(context.nodeId(), condition, input, referenced);
    }

    private static final class Planned implements PlannedProcessor {
        private final String nodeId;
        private final String condition;
        private final StreamDescriptor input;
        private final Set<String> referenced;

        Planned(String nodeId, String condition, StreamDescriptor input, Set<String> referenced) {
            this.nodeId = nodeId;
            this.condition = condition;
            this.input = input;
            this.referenced = referenced;
        }

        @Override
        public Schema outputSchema() {
            return input.schema();
        }

        @Override
        public StreamKind outputKind() {
            return input.kind();
        }

        @Override
        public Map<String, Set<String>> lineage() {
            // Every field also depends on the fields the condition reads.
            Map<String, Set<String>> lineage = new LinkedHashMap<>();
            input.identityLineage()
                    .forEach(
                            (field, from) -> {
                                Set<String> all = new TreeSet<>(from);
                                referenced.forEach(r -> all.add(input.nodeId() + "." + r));
                                lineage.put(field, all);
                            });
            return lineage;
        }

        @Override
        public DataStream<SluiceRecord> translate(
                List<DataStream<SluiceRecord>> inputs, TranslationContext context) {
            return context.process(
                    inputs.get(0),
                    new FilterFunction(nodeId, condition, input.schema().toString()),
                    input.schema(),
                    "filter");
        }
    }

    /** Evaluates the compiled condition; an evaluation error dead-letters the record. */
    static final class FilterFunction extends RecordProcessFunction {
        private static final long serialVersionUID = 1L;
        private final String condition;
        private final String schemaJson;
        private transient CompiledPredicate predicate;

        FilterFunction(String processorId, String condition, String schemaJson) {
            super(processorId);
            this.condition = condition;
            this.schemaJson = schemaJson;
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
            super.open(openContext);
            predicate =
                    ExpressionCompiler.compilePredicate(condition, AvroSchemas.parse(schemaJson));
        }

        @Override
        protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
            if (predicate.test(record.value())) {
                out.collect(record);
            }
        }
    }
}
