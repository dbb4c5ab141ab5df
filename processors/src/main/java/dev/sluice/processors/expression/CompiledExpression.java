package dev.sluice.processors.expression;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * An SQL expression compiled against an input record schema by {@link ExpressionCompiler}: its
 * result type, the fields it reads, and a ready-to-run evaluator.
 *
 * <p>It exists so that processors evaluate expressions per record with no parsing, name lookups or
 * type dispatch. Immutable and thread-safe.
 *
 * <p><b>Serialization</b>: instances are {@link Serializable} so that Flink can ship them inside
 * operators. Only the expression text and the input schema (as JSON) are written; deserializing
 * recompiles them (a few milliseconds), so evaluators never need to be serializable.
 *
 * <p>Records passed to {@link #evaluate} must have the schema the expression was compiled against
 * (fields are read by position).
 */
public final class CompiledExpression implements Serializable {

    private static final long serialVersionUID = 1L;

    private final transient String expression;
    private final transient Schema inputSchema;
    private final transient SqlType type;
    private final transient Schema resultSchema;
    private final transient Set<String> referencedFields;
    private final transient Evaluator evaluator;

    CompiledExpression(
            String expression,
            Schema inputSchema,
            SqlType type,
            Schema resultSchema,
            Set<String> referencedFields,
            Evaluator evaluator) {
        this.expression = expression;
        this.inputSchema = inputSchema;
        this.type = type;
        this.resultSchema = resultSchema;
        this.referencedFields = referencedFields;
        this.evaluator = evaluator;
    }

    /** The expression as written. */
    public String expression() {
        return expression;
    }

    /** The input record schema the expression was compiled against. */
    public Schema inputSchema() {
        return inputSchema;
    }

    /**
     * The Avro schema of the result: a union {@code ["null", T]} unless the result is provably
     * non-null (a non-nullable field, a literal, an IS ... test, arithmetic on non-null operands,
     * ...). A plain field reference keeps the field's own schema (enums, logical types and all).
     */
    public Schema resultSchema() {
        return resultSchema;
    }

    /** The input fields the expression reads (nested ones as dotted paths), for lineage. */
    public Set<String> referencedFields() {
        return referencedFields;
    }

    /**
     * The expression's value for {@code record}, in Avro's generic representation: {@code null},
     * Boolean, Integer, Long, Float, Double, String (or the field's own Utf8 / enum symbol when
     * passed through), ByteBuffer for DECIMAL (with {@link #resultSchema()}'s scale) and for bytes.
     *
     * @throws ExpressionEvaluationException if evaluating fails for this record (division by zero,
     *     overflow, a bad cast, a record that does not match the schema)
     */
    public Object evaluate(GenericRecord record) {
        try {
            return evaluator.eval(record);
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw mismatch(expression, e);
        }
    }

    /**
     * This expression as a {@code filter} condition.
     *
     * @throws ExpressionException of kind TYPE if the expression is not boolean
     */
    public CompiledPredicate asPredicate() {
        if (type.kind() != SqlType.Kind.BOOLEAN) {
            throw ExpressionException.of(
                    ExpressionException.Kind.TYPE,
                    "condition must be a boolean expression, got "
                            + type
                            + ": \""
                            + expression
                            + "\"",
                    expression);
        }
        return new CompiledPredicate(this);
    }

    /** Whether the result type is BOOLEAN (and the expression usable as a condition). */
    boolean isBoolean() {
        return type.kind() == SqlType.Kind.BOOLEAN;
    }

    static ExpressionEvaluationException mismatch(String expression, RuntimeException cause) {
        return new ExpressionEvaluationException(
                "the record does not match the schema expression \""
                        + expression
                        + "\" was compiled for ("
                        + cause
                        + ")",
                expression,
                cause);
    }

    @Override
    public String toString() {
        return "CompiledExpression{" + expression + " : " + type + "}";
    }

    private Object writeReplace() {
        return new SerializedForm(expression, inputSchema.toString());
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("CompiledExpression is deserialized through its proxy");
    }

    /** What is written: the text and the schema; reading it recompiles. */
    private static final class SerializedForm implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String expression;
        private final String schemaJson;

        SerializedForm(String expression, String schemaJson) {
            this.expression = expression;
            this.schemaJson = schemaJson;
        }

        private Object readResolve() {
            return ExpressionCompiler.compile(expression, new Schema.Parser().parse(schemaJson));
        }
    }
}
