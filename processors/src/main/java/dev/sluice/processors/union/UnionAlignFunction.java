package dev.sluice.processors.union;

import dev.sluice.processors.union.UnionSchemas.Conversion;
import dev.sluice.schemas.AvroSchemas;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.functions.RecordProcessFunction;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.util.Collector;

/**
 * Brings the records of one {@code union} input into the union's output schema, so that all the
 * inputs can be merged into one stream of one schema: fields are placed by the output's order,
 * numbers widened, enum symbols turned into strings, fields the input lacks set to null. Key,
 * timestamp and origin stay as they are; a record that cannot be converted is dead-lettered.
 *
 * <p>The field mapping is computed once in {@link #open}; a record whose value carries another
 * schema than the input's declared one is mapped by field name instead (and dead-lettered if that
 * schema does not fit the output).
 */
final class UnionAlignFunction extends RecordProcessFunction {
    private static final long serialVersionUID = 1L;

    private final String inputId;
    private final String inputSchemaJson;
    private final String outputSchemaJson;

    private transient Schema output;
    private transient Mapping declared;
    private transient Mapping other;

    /**
     * @param processorId the union's node id (dead letters name it)
     * @param inputId the id of the input node this operator aligns, for messages
     */
    UnionAlignFunction(
            String processorId, String inputId, String inputSchemaJson, String outputSchemaJson) {
        super(processorId);
        this.inputId = inputId;
        this.inputSchemaJson = inputSchemaJson;
        this.outputSchemaJson = outputSchemaJson;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        output = AvroSchemas.parse(outputSchemaJson);
        declared = Mapping.of(AvroSchemas.parse(inputSchemaJson), output, inputId);
        other = null;
    }

    @Override
    protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
        GenericRecord value = record.value();
        out.collect(record.withValue(mappingFor(value.getSchema()).apply(value)));
    }

    private Mapping mappingFor(Schema schema) {
        if (schema == declared.input || schema.equals(declared.input)) {
            return declared;
        }
        if (other == null || (schema != other.input && !schema.equals(other.input))) {
            other = Mapping.of(schema, output, inputId);
        }
        return other;
    }

    /** Output position to input position (or -1) and the conversion of each output field. */
    private static final class Mapping {
        final Schema input;
        final Schema output;
        final int[] from;
        final Conversion[] conversions;
        final boolean[] required;

        private Mapping(
                Schema input,
                Schema output,
                int[] from,
                Conversion[] conversions,
                boolean[] required) {
            this.input = input;
            this.output = output;
            this.from = from;
            this.conversions = conversions;
            this.required = required;
        }

        /**
         * Maps by field name.
         *
         * @throws IllegalArgumentException when a field of {@code input} does not fit the output
         */
        static Mapping of(Schema input, Schema output, String inputId) {
            List<Schema.Field> outFields = output.getFields();
            int n = outFields.size();
            int[] from = new int[n];
            Conversion[] conversions = new Conversion[n];
            boolean[] required = new boolean[n];
            for (int i = 0; i < n; i++) {
                Schema.Field o = outFields.get(i);
                Schema outType = AvroSchemas.nonNull(o.schema());
                required[i] = !AvroSchemas.isNullable(o.schema());
                Schema.Field f = input.getField(o.name());
                if (f == null) {
                    if (required[i]) {
                        throw new IllegalArgumentException(
                                "record of schema "
                                        + input.getFullName()
                                        + " from '"
                                        + inputId
                                        + "' lacks field '"
                                        + o.name()
                                        + "' that the union's output requires");
                    }
                    from[i] = -1;
                    conversions[i] = Conversion.IDENTITY;
                    continue;
                }
                Schema inType = AvroSchemas.nonNull(f.schema());
                Conversion c = UnionSchemas.conversion(inType, outType);
                if (c == null) {
                    throw new IllegalArgumentException(
                            "field '"
                                    + o.name()
                                    + "' of a record from '"
                                    + inputId
                                    + "' is "
                                    + UnionSchemas.describe(inType)
                                    + ", which does not fit the union's "
                                    + UnionSchemas.describe(outType));
                }
                from[i] = f.pos();
                conversions[i] = c;
            }
            return new Mapping(input, output, from, conversions, required);
        }

        GenericRecord apply(GenericRecord in) {
            GenericData.Record result = new GenericData.Record(output);
            for (int i = 0; i < from.length; i++) {
                Object v = from[i] < 0 ? null : convert(in.get(from[i]), i);
                if (v == null && required[i]) {
                    throw new IllegalArgumentException(
                            "field '"
                                    + output.getFields().get(i).name()
                                    + "' is null, but the union's output requires a value");
                }
                result.put(i, v);
            }
            return result;
        }

        private Object convert(Object v, int i) {
            if (v == null) {
                return null;
            }
            switch (conversions[i]) {
                case TO_LONG:
                    return number(v, i).longValue();
                case TO_DOUBLE:
                    return number(v, i).doubleValue();
                case TO_STRING:
                    return new Utf8(v.toString());
                default:
                    return v;
            }
        }

        private Number number(Object v, int i) {
            if (v instanceof Number) {
                return (Number) v;
            }
            throw new IllegalArgumentException(
                    "field '"
                            + output.getFields().get(i).name()
                            + "' should hold a number, got "
                            + v.getClass().getSimpleName()
                            + " "
                            + v);
        }
    }
}
