package dev.sluice.it;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.functions.RecordProcessFunction;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * A custom processor (found through the SDK's ServiceLoader like any plugin) whose operator cannot
 * start: it lets the tests see how a job that fails at runtime is reported.
 */
public final class FailingProcessorFactory implements ProcessorFactory {

    public static final ConfigOption<String> MESSAGE = ConfigOption.key("message").stringType();

    @Override
    public String identifier() {
        return "it-fail-on-open";
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(MESSAGE);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public PlannedProcessor plan(Context context) {
        Schema schema = context.inputs().get(0).schema();
        String nodeId = context.nodeId();
        String message = context.options().get(MESSAGE);
        return new PlannedProcessor() {
            @Override
            public Schema outputSchema() {
                return schema;
            }

            @Override
            public StreamKind outputKind() {
                return StreamKind.APPEND;
            }

            @Override
            public DataStream<SluiceRecord> translate(
                    List<DataStream<SluiceRecord>> inputs, TranslationContext ctx) {
                return inputs.get(0)
                        .process(new Failing(nodeId, message), ctx.recordType(schema))
                        .uid(ctx.uid("fail"))
                        .name(ctx.operatorName("fail"));
            }
        };
    }

    /** Throws from open(), every time. */
    static final class Failing extends RecordProcessFunction {
        private static final long serialVersionUID = 1L;
        private final String message;

        Failing(String processorId, String message) {
            super(processorId);
            this.message = message;
        }

        @Override
        public void open(OpenContext openContext) {
            throw new IllegalStateException(message);
        }

        @Override
        protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
            out.collect(record);
        }
    }
}
