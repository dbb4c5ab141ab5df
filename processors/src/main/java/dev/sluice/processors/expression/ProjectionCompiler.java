package dev.sluice.processors.expression;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Compiles the {@code fields} of a {@code project} processor ({@code {"<output name>": "<SQL
 * expression>", ...}}) into a {@link CompiledProjection}: one compiled expression per output field,
 * and the output record schema derived from their types.
 *
 * <p>It exists so that a projection is validated as a whole when the pipeline is applied, with
 * every error naming the output field it belongs to ({@code fields.total: unknown field 'amout'
 * ...}, and {@link ExpressionException#outputField()}), and so that the output schema is known
 * before any record flows.
 */
public final class ProjectionCompiler {

    private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ProjectionCompiler() {}

    /**
     * Compiles a projection.
     *
     * @param fields output field name → SQL expression, in output order
     * @param inputRecordSchema the schema of the records to project
     * @param outputRecordName the full name of the output record ({@code name} or {@code
     *     namespace.name})
     * @throws ExpressionException for the first output field whose name is not a valid Avro name or
     *     whose expression does not compile; {@link ExpressionException#outputField()} names it
     * @throws IllegalArgumentException if the input is not a record schema or the record name is
     *     not a valid Avro full name
     */
    public static CompiledProjection compile(
            LinkedHashMap<String, String> fields,
            Schema inputRecordSchema,
            String outputRecordName) {
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(inputRecordSchema, "inputRecordSchema");
        Objects.requireNonNull(outputRecordName, "outputRecordName");
        checkFullName(outputRecordName);
        if (fields.isEmpty()) {
            throw ExpressionException.of(
                    ExpressionException.Kind.UNSUPPORTED,
                    "fields: a projection needs at least one output field",
                    null);
        }
        List<String> names = new ArrayList<>(fields.size());
        List<CompiledExpression> expressions = new ArrayList<>(fields.size());
        List<Schema.Field> outputFields = new ArrayList<>(fields.size());
        Map<String, Set<String>> lineage = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : fields.entrySet()) {
            String name = entry.getKey();
            if (name == null || !AVRO_NAME.matcher(name).matches()) {
                throw new ExpressionException(
                                ExpressionException.Kind.UNSUPPORTED,
                                "'"
                                        + name
                                        + "' is not a valid output field name: use letters, digits"
                                        + " and '_', not starting with a digit",
                                entry.getValue(),
                                null,
                                -1,
                                -1)
                        .inOutputField(String.valueOf(name));
            }
            CompiledExpression compiled;
            try {
                compiled = ExpressionCompiler.compile(entry.getValue(), inputRecordSchema);
            } catch (ExpressionException e) {
                throw e.inOutputField(name);
            }
            Schema schema = compiled.resultSchema();
            Object defaultValue = defaultsToNull(schema) ? JsonProperties.NULL_VALUE : null;
            names.add(name);
            expressions.add(compiled);
            outputFields.add(new Schema.Field(name, schema, null, defaultValue));
            lineage.put(name, compiled.referencedFields());
        }
        Schema output = record(outputRecordName, outputFields);
        return new CompiledProjection(
                new LinkedHashMap<>(fields),
                inputRecordSchema,
                outputRecordName,
                output,
                names.toArray(new String[0]),
                expressions.toArray(new CompiledExpression[0]),
                Collections.unmodifiableMap(lineage));
    }

    /** A nullable field whose first branch is null gets {@code "default": null}. */
    private static boolean defaultsToNull(Schema schema) {
        return schema.getType() == Schema.Type.NULL
                || (schema.getType() == Schema.Type.UNION
                        && schema.getTypes().get(0).getType() == Schema.Type.NULL);
    }

    private static Schema record(String fullName, List<Schema.Field> fields) {
        int dot = fullName.lastIndexOf('.');
        String namespace = dot < 0 ? null : fullName.substring(0, dot);
        String name = dot < 0 ? fullName : fullName.substring(dot + 1);
        Schema schema = Schema.createRecord(name, null, namespace, false, fields);
        try {
            // Named types passed through from the input must not clash with the record's name.
            new Schema.Parser().parse(schema.toString());
        } catch (SchemaParseException e) {
            throw ExpressionException.of(
                    ExpressionException.Kind.UNSUPPORTED,
                    "the output schema '" + fullName + "' is not valid: " + e.getMessage(),
                    null);
        }
        return schema;
    }

    private static void checkFullName(String fullName) {
        for (String part : fullName.split("\\.", -1)) {
            if (!AVRO_NAME.matcher(part).matches()) {
                throw new IllegalArgumentException(
                        "'"
                                + fullName
                                + "' is not a valid Avro record name: dot-separated parts of"
                                + " letters, digits and '_', not starting with a digit");
            }
        }
    }
}
