package dev.sluice.processors.expression;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A compiled {@code project} processor: maps each input record to one output record whose fields
 * are the values of the projection's expressions, in the order they were given.
 *
 * <p>It exists so that the processor does one allocation per record (the output record) and no
 * lookups. Immutable, thread-safe, and {@link Serializable}: only the field expressions, the input
 * schema (as JSON) and the output record name are written, and deserializing recompiles them.
 */
public final class CompiledProjection implements Serializable {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, String> fields;
    private final transient Schema inputSchema;
    private final transient String outputRecordName;
    private final transient Schema outputSchema;
    private final transient String[] names;
    private final transient CompiledExpression[] expressions;
    private final transient Map<String, Set<String>> lineage;

    CompiledProjection(
            LinkedHashMap<String, String> fields,
            Schema inputSchema,
            String outputRecordName,
            Schema outputSchema,
            String[] names,
            CompiledExpression[] expressions,
            Map<String, Set<String>> lineage) {
        this.fields = Collections.unmodifiableMap(fields);
        this.inputSchema = inputSchema;
        this.outputRecordName = outputRecordName;
        this.outputSchema = outputSchema;
        this.names = names;
        this.expressions = expressions;
        this.lineage = lineage;
    }

    /**
     * The output record schema: one field per output name, in order, typed by its expression
     * (nullable ones as {@code ["null", T]} with {@code "default": null}).
     */
    public Schema outputSchema() {
        return outputSchema;
    }

    /** The input record schema the projection was compiled against. */
    public Schema inputSchema() {
        return inputSchema;
    }

    /** Output field name → the expression it was compiled from, in output order. */
    public Map<String, String> fields() {
        return fields;
    }

    /** Output field name → the input fields its expression reads, in output order. */
    public Map<String, Set<String>> lineage() {
        return lineage;
    }

    /**
     * Projects one record (which must have {@link #inputSchema()}).
     *
     * @return a new record of {@link #outputSchema()}
     * @throws ExpressionEvaluationException if an expression fails for this record; its message
     *     starts with {@code fields.<name>: } and {@link
     *     ExpressionEvaluationException#outputField()} names the field
     */
    public GenericRecord project(GenericRecord input) {
        GenericData.Record output = new GenericData.Record(outputSchema);
        for (int i = 0; i < expressions.length; i++) {
            try {
                output.put(i, expressions[i].evaluate(input));
            } catch (ExpressionEvaluationException e) {
                throw e.inOutputField(names[i]);
            }
        }
        return output;
    }

    @Override
    public String toString() {
        return "CompiledProjection{" + fields + "}";
    }

    private Object writeReplace() {
        return new SerializedForm(
                new LinkedHashMap<>(fields), inputSchema.toString(), outputRecordName);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("CompiledProjection is deserialized through its proxy");
    }

    /** What is written: the field expressions, the input schema and the record name. */
    private static final class SerializedForm implements Serializable {
        private static final long serialVersionUID = 1L;
        private final LinkedHashMap<String, String> fields;
        private final String schemaJson;
        private final String outputRecordName;

        SerializedForm(
                LinkedHashMap<String, String> fields, String schemaJson, String outputRecordName) {
            this.fields = fields;
            this.schemaJson = schemaJson;
            this.outputRecordName = outputRecordName;
        }

        private Object readResolve() {
            return ProjectionCompiler.compile(
                    fields, new Schema.Parser().parse(schemaJson), outputRecordName);
        }
    }
}
