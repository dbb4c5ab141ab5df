package dev.sluice.it.plugin;

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
 * The {@code it-upper} processor of PluginITCase: upper-cases one string field.
 *
 * <p>This file is not a test source: PluginITCase compiles it into a plugin jar at test time, so
 * that its classes exist only in that jar and never on the platform's class path.
 */
public final class UpperPluginFactory implements ProcessorFactory {

    public static final ConfigOption<String> FIELD = ConfigOption.key("field").stringType();

    @Override
    public String identifier() {
        return "it-upper";
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
        String nodeId = context.nodeId();
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
                SingleOutputStreamOperator<SluiceRecord> out =
                        inputs.get(0)
                                .process(
                                        new UpperFunction(nodeId, field),
                                        ctx.recordType(input.schema()))
                                .uid(ctx.uid("upper"))
                                .name(ctx.operatorName("upper"))
                                .setParallelism(ctx.parallelism());
                ctx.addDeadLetters(out.getSideOutput(DeadLetters.TAG));
                return out;
            }
        };
    }

    /** Copies each record with the field upper-cased. */
    static final class UpperFunction extends RecordProcessFunction {
        private static final long serialVersionUID = 1L;
        private final String field;

        UpperFunction(String processorId, String field) {
            super(processorId);
            this.field = field;
        }

        @Override
        protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
            GenericRecord copy = new GenericData.Record((GenericData.Record) record.value(), true);
            copy.put(field, record.value().get(field).toString().toUpperCase());
            out.collect(record.withValue(copy));
        }
    }
}
