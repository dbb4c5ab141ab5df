package dev.sluice.controller.lineage;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.SinkFactory;
import dev.sluice.sdk.factory.TranslationContext;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Node types that stand in for plugins in lineage tests: a processor that declares no lineage (as a
 * plugin or a SQL query may) and a sink that names no topic. They are only planned, never run.
 */
public final class LineageTestFactories {
    private LineageTestFactories() {}

    /** {@code lineage-test-opaque}: passes its input through and says nothing about lineage. */
    public static final class OpaqueProcessorFactory implements ProcessorFactory {
        public static final String IDENTIFIER = "lineage-test-opaque";

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

        @Override
        public PlannedProcessor plan(Context context) {
            StreamDescriptor input = context.singleInput();
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
                        List<DataStream<SluiceRecord>> inputs, TranslationContext context) {
                    throw new UnsupportedOperationException("planned only, in lineage tests");
                }
            };
        }
    }

    /** {@code lineage-test-sink}: writes somewhere Sluice cannot name. */
    public static final class NamelessSinkFactory implements SinkFactory {
        public static final String IDENTIFIER = "lineage-test-sink";

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

        @Override
        public PlannedSink plan(Context context) {
            return new PlannedSink() {
                @Override
                public void translate(DataStream<SluiceRecord> input, TranslationContext context) {
                    throw new UnsupportedOperationException("planned only, in lineage tests");
                }
            };
        }
    }
}
