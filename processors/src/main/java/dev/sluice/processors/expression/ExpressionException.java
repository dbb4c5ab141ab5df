package dev.sluice.processors.expression;

/**
 * A SQL expression of a pipeline (a {@code filter} condition or a {@code project} field) that
 * cannot be compiled against its input schema.
 *
 * <p>It exists so that a pipeline is refused when it is applied, with a message a user can act on,
 * instead of failing record by record at run time. The message names the expression, and where it
 * applies the offending input field, the parser's line and column, or the projection's output
 * field, so that callers can point at the exact place in the pipeline definition (e.g. {@code
 * /processors/1/config/fields/total}).
 *
 * <p>Immutable.
 */
public final class ExpressionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that react differently (or show the kind to users). */
    public enum Kind {
        /** The text is not a single SQL expression (syntax error, a statement, a query, ...). */
        PARSE,
        /** The expression names a field the input does not have. */
        UNKNOWN_FIELD,
        /**
         * Operands or the result have the wrong type ({@code 'a' + 1}, a non-boolean condition).
         */
        TYPE,
        /**
         * The expression uses something outside the supported subset (an unknown function, a
         * subquery, a parameter), or a projection's output name is not a valid Avro name.
         */
        UNSUPPORTED
    }

    private final Kind kind;
    private final String expression;
    private final String field;
    private final String outputField;
    private final int line;
    private final int column;

    ExpressionException(
            Kind kind, String message, String expression, String field, int line, int column) {
        this(kind, message, expression, field, null, line, column, null);
    }

    private ExpressionException(
            Kind kind,
            String message,
            String expression,
            String field,
            String outputField,
            int line,
            int column,
            Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.expression = expression;
        this.field = field;
        this.outputField = outputField;
        this.line = line;
        this.column = column;
    }

    static ExpressionException of(Kind kind, String message, String expression) {
        return new ExpressionException(kind, message, expression, null, -1, -1);
    }

    /**
     * A copy of this error prefixed with {@code fields.<outputField>: } and carrying {@link
     * #outputField()}, for errors of a projection's field.
     */
    ExpressionException inOutputField(String outputFieldName) {
        return new ExpressionException(
                kind,
                "fields." + outputFieldName + ": " + getMessage(),
                expression,
                field,
                outputFieldName,
                line,
                column,
                this);
    }

    /** The human-readable message; the same as {@link #getMessage()}. */
    public String message() {
        return getMessage();
    }

    /** The kind of error. */
    public Kind kind() {
        return kind;
    }

    /** The expression as the user wrote it, or {@code null} when the error is not about one. */
    public String expression() {
        return expression;
    }

    /** The offending input field (e.g. an unknown field's name), or {@code null}. */
    public String field() {
        return field;
    }

    /**
     * For errors of a projection: the output field whose expression failed (the key under {@code
     * fields}), otherwise {@code null}.
     */
    public String outputField() {
        return outputField;
    }

    /** 1-based line in the expression where the error was found, or -1 if unknown. */
    public int line() {
        return line;
    }

    /** 1-based column in the expression where the error was found, or -1 if unknown. */
    public int column() {
        return column;
    }
}
