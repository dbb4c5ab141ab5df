package dev.sluice.processors.expression;

import java.io.Serializable;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * A compiled {@code filter} condition: a boolean {@link CompiledExpression} read with SQL's WHERE
 * semantics, so a record is kept only when the condition is TRUE (NULL/UNKNOWN and FALSE drop it).
 *
 * <p>Immutable, thread-safe, and {@link Serializable} (see {@link CompiledExpression}).
 */
public final class CompiledPredicate implements Serializable {

    private static final long serialVersionUID = 1L;

    private final CompiledExpression expression;

    CompiledPredicate(CompiledExpression expression) {
        if (!expression.isBoolean()) {
            throw new IllegalArgumentException("not a boolean expression: " + expression);
        }
        this.expression = expression;
    }

    /**
     * Whether the condition is TRUE for {@code record}.
     *
     * @throws ExpressionEvaluationException if evaluating fails for this record
     */
    public boolean test(GenericRecord record) {
        return Boolean.TRUE.equals(expression.evaluate(record));
    }

    /** The condition as written. */
    public String expression() {
        return expression.expression();
    }

    /** The input schema the condition was compiled against. */
    public Schema inputSchema() {
        return expression.inputSchema();
    }

    /** The input fields the condition reads, for lineage. */
    public Set<String> referencedFields() {
        return expression.referencedFields();
    }

    /** The underlying expression (its {@code evaluate} returns TRUE, FALSE or null). */
    public CompiledExpression asExpression() {
        return expression;
    }

    @Override
    public String toString() {
        return "CompiledPredicate{" + expression.expression() + "}";
    }
}
