package dev.sluice.processors.expression;

import java.util.List;
import org.apache.avro.Schema;

/**
 * A node of the typed expression tree that {@link TypeChecker} builds from Calcite's parse tree and
 * {@link EvaluatorBuilder} turns into evaluators. Every node knows its {@link SqlType} and the
 * source text it came from (for error messages). Operands of a call have already been coerced to
 * the types the operation expects, so the evaluator builder never has to reason about types again.
 */
sealed interface Node permits Node.FieldRef, Node.Literal, Node.Call {

    SqlType type();

    /** The part of the expression this node was parsed from, as the user wrote it. */
    String text();

    /**
     * A reference to an input field, possibly nested ({@code address.zip}).
     *
     * @param path the dotted name, as written (for lineage and messages)
     * @param positions the field position at each level of the path
     * @param leafSchema the Avro schema of the field itself
     * @param passThroughSchema the schema of the field's raw value as read through the path: {@code
     *     leafSchema}, made nullable if a record on the path may be null
     */
    record FieldRef(
            String path,
            int[] positions,
            Schema leafSchema,
            Schema passThroughSchema,
            SqlType type,
            String text)
            implements Node {}

    /** A constant, already in the representation of its {@link SqlType}. */
    record Literal(Object value, SqlType type, String text) implements Node {}

    /**
     * An operation over operands.
     *
     * @param param an operation-specific constant: the maximum length of a {@code VARCHAR(n)} cast,
     *     the {@link TrimMode} of TRIM, the digits of ROUND; otherwise {@code null}
     */
    record Call(Op op, List<Node> args, SqlType type, String text, Object param) implements Node {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** Which side(s) TRIM removes characters from. */
    enum TrimMode {
        BOTH,
        LEADING,
        TRAILING
    }

    /** The operations of the supported SQL subset. */
    enum Op {
        AND,
        OR,
        NOT,
        IS_NULL,
        IS_NOT_NULL,
        IS_TRUE,
        IS_NOT_TRUE,
        IS_FALSE,
        IS_NOT_FALSE,
        IS_DISTINCT_FROM,
        IS_NOT_DISTINCT_FROM,
        EQ,
        NE,
        LT,
        LE,
        GT,
        GE,
        PLUS,
        MINUS,
        TIMES,
        DIVIDE,
        MOD,
        NEGATE,
        /** {@code x IN (a, b, ...)}: args are x, then the list. */
        IN,
        /** {@code x LIKE pattern [ESCAPE e]}: args are x, pattern and optionally e. */
        LIKE,
        /** {@code CASE WHEN c1 THEN r1 ... ELSE e END}: args are c1, r1, c2, r2, ..., e. */
        CASE,
        /** A conversion to {@link Call#type()}; implicit widenings are casts too. */
        CAST,
        COALESCE,
        CONCAT,
        UPPER,
        LOWER,
        /** args are the characters to remove, then the string. */
        TRIM,
        CHAR_LENGTH,
        /** args are the string, the start and optionally the length. */
        SUBSTRING,
        ABS,
        ROUND,
        FLOOR,
        CEIL
    }
}
