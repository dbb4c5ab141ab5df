package com.example.mask;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.OptionType;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.functions.RecordProcessFunction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * The {@code mask} processor: replaces the named string fields by their first {@code keep}
 * characters followed by {@code ***}, so that records can be shared without the values they
 * identify people by. A value no longer than {@code keep} is masked entirely; {@code null} stays
 * {@code null}. The output schema is the input schema.
 *
 * <pre>{@code
 * { "id": "masked", "type": "mask", "inputs": ["orders"],
 *   "config": { "fields": ["customer"], "keep": 2 } }
 * }</pre>
 *
 * <p>Everything that can be wrong with the config is found when the pipeline is applied: a field
 * that does not exist or is not a string is refused with the JSON pointer of the entry at fault.
 */
public final class MaskProcessorFactory implements ProcessorFactory {

    public static final String IDENTIFIER = "mask";

    public static final ConfigOption<List<String>> FIELDS =
            ConfigOption.key("fields")
                    .type(OptionType.STRING_LIST)
                    .withDescription("the string fields to mask");

    public static final ConfigOption<Integer> KEEP =
            ConfigOption.key("keep")
                    .intType()
                    .defaultValue(2)
                    .withDescription("how many leading characters stay readable (default 2)");

    static final String MASK = "***";

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
        return Set.of(KEEP);
    }

    @Override
    public PlannedProcessor plan(Context context) {
        StreamDescriptor input = context.singleInput();
        List<String> fields = context.options().get(FIELDS);
        String fieldsPointer = context.options().pointer(FIELDS);
        if (fields.isEmpty()) {
            throw new ConfigValidationException(
                    fieldsPointer, fieldsPointer + ": name at least one field to mask");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            String pointer = fieldsPointer + "/" + i;
            Schema.Field f = input.schema().getField(field);
            if (f == null) {
                throw new ConfigValidationException(
                        pointer,
                        pointer
                                + ": input '"
                                + input.nodeId()
                                + "' has no field '"
                                + field
                                + "'; its fields: "
                                + fieldNames(input.schema()));
            }
            if (!isString(f.schema())) {
                throw new ConfigValidationException(
                        pointer,
                        pointer
                                + ": field '"
                                + field
                                + "' is "
                                + f.schema()
                                + "; mask masks strings (or nullable strings) only");
            }
            if (!seen.add(field)) {
                throw new ConfigValidationException(
                        pointer, pointer + ": field '" + field + "' is listed twice");
            }
        }
        int keep = context.options().get(KEEP);
        if (keep < 0) {
            String pointer = context.options().pointer(KEEP);
            throw new ConfigValidationException(
                    pointer, pointer + ": expected 0 or more characters, got " + keep);
        }
        return new Planned(context.nodeId(), input, fields, keep);
    }

    private static boolean isString(Schema schema) {
        if (schema.getType() == Schema.Type.STRING) {
            return true;
        }
        if (schema.getType() != Schema.Type.UNION) {
            return false;
        }
        boolean string = false;
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.STRING) {
                string = true;
            } else if (branch.getType() != Schema.Type.NULL) {
                return false;
            }
        }
        return string;
    }

    private static String fieldNames(Schema schema) {
        List<String> names = new ArrayList<>();
        schema.getFields().forEach(f -> names.add(f.name()));
        return String.join(", ", names);
    }

    /** The first {@code keep} characters (code points) of {@code value} and {@code ***}. */
    static String mask(String value, int keep) {
        if (value.codePointCount(0, value.length()) <= keep) {
            return MASK;
        }
        return value.substring(0, value.offsetByCodePoints(0, keep)) + MASK;
    }

    private static final class Planned implements PlannedProcessor {
        private final String nodeId;
        private final StreamDescriptor input;
        private final List<String> fields;
        private final int keep;

        Planned(String nodeId, StreamDescriptor input, List<String> fields, int keep) {
            this.nodeId = nodeId;
            this.input = input;
            this.fields = List.copyOf(fields);
            this.keep = keep;
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
            return input.identityLineage();
        }

        @Override
        public DataStream<SluiceRecord> translate(
                List<DataStream<SluiceRecord>> inputs, TranslationContext context) {
            return context.process(
                    inputs.get(0), new MaskFunction(nodeId, fields, keep), input.schema(), "mask");
        }
    }

    /** Copies each record with the named fields masked; never changes the input record. */
    static final class MaskFunction extends RecordProcessFunction {
        private static final long serialVersionUID = 1L;
        private final List<String> fields;
        private final int keep;

        MaskFunction(String processorId, List<String> fields, int keep) {
            super(processorId);
            this.fields = new ArrayList<>(fields);
            this.keep = keep;
        }

        @Override
        protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
            GenericRecord in = record.value();
            Schema schema = in.getSchema();
            GenericRecord masked = new GenericData.Record(schema);
            for (Schema.Field f : schema.getFields()) {
                masked.put(f.pos(), in.get(f.pos()));
            }
            for (String field : fields) {
                Object value = in.get(field);
                if (value != null) {
                    masked.put(field, mask(value.toString(), keep));
                }
            }
            out.collect(record.withValue(masked));
        }
    }
}
