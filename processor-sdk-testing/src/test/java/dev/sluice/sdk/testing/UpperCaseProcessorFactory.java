package dev.sluice.sdk.testing;

import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.functions.RecordProcessFunction;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * A tiny processor for the harness's own tests: upper-cases one string field and fails on records
 * whose field is empty.
 */
final class UpperCaseProcessorFactory implements ProcessorFactory {

    static final ConfigOption<String> FIELD = ConfigOption.key("field").stringType();

    /** When true, translate() gives its operator a type without the declared schema (a bug). */
    private final boolean wrongOutputType;

    UpperCaseProcessorFactory() {
        this(false);
    }

    UpperCaseProcessorFactory(boolean wrongOutputType) {
        this.wrongOutputType = wrongOutputType;
    }

    @Override
    public String identifier() {
        return "test-upper";
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(FIELD);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public PlannedProcessor plan(Context context) {
        StreamDescriptor input = context.singleInput();
        String field = context.options().get(FIELD);
        Schema.Field f = input.schema().getField(field);
        if (f == null || f.schema().getType() != Schema.Type.STRING) {
            throw new ConfigValidationException(
                    context.options().pointer(FIELD), "'" + field + "' is not a string field");
        }
        return new PlannedProcessor() {
            @Override
            public Schema outputSchema() {
                return input.schema();
            }

            @Override
            public StreamKind outputKind() {
                return input.kind();
            }

            @Override
            public DataStream<SluiceRecord> translate(
                    List<DataStream<SluiceRecord>> inputs, TranslationContext ctx) {
                Schema type =
                        wrongOutputType
                                ? Schema.createRecord("Other", null, "test", false, List.of())
                                : input.schema();
                SingleOutputStreamOperator<SluiceRecord> out =
                        inputs.get(0)
                                .process(
                                        new UpperCase(context.nodeId(), field),
                                        ctx.recordType(type))
                                .uid(ctx.uid("upper"))
                                .name(ctx.operatorName("upper"));
                ctx.addDeadLetters(out.getSideOutput(DeadLetters.TAG));
                return out;
            }
        };
    }

    /** Copies the record with the field upper-cased; an empty field is an error. */
    static final class UpperCase extends RecordProcessFunction {
        private static final long serialVersionUID = 1L;
        private final String field;

        UpperCase(String processorId, String field) {
            super(processorId);
            this.field = field;
        }

        @Override
        protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
            String value = record.value().get(field).toString();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(field + " is empty");
            }
            GenericRecord copy = new GenericData.Record((GenericData.Record) record.value(), true);
            copy.put(field, value.toUpperCase());
            out.collect(record.withValue(copy));
        }
    }
}
