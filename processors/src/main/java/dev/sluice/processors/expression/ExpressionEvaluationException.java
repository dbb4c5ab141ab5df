package dev.sluice.processors.expression;

/**
 * A compiled expression failed on one record: division by zero, a numeric overflow, a string that
 * cannot be cast to a number, or a record that does not match the schema the expression was
 * compiled for.
 *
 * <p>It exists so that the calling processor can dead-letter that record (and only that record)
 * with a message that names the expression and the failing part of it, e.g. {@code division by
 * zero: "amount / qty" in expression "amount / qty > 2"}.
 *
 * <p>Immutable.
 */
public final class ExpressionEvaluationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String expression;
    private final String outputField;

    ExpressionEvaluationException(String message, String expression, Throwable cause) {
        this(message, expression, null, cause);
    }

    private ExpressionEvaluationException(
            String message, String expression, String outputField, Throwable cause) {
        super(message, cause);
        this.expression = expression;
        this.outputField = outputField;
    }

    /** A copy prefixed with {@code fields.<outputField>: }, for a projection's field. */
    ExpressionEvaluationException inOutputField(String outputFieldName) {
        return new ExpressionEvaluationException(
                "fields." + outputFieldName + ": " + getMessage(),
                expression,
                outputFieldName,
                this);
    }

    /** The whole expression that failed, as the user wrote it. */
    public String expression() {
        return expression;
    }

    /** For a projection: the output field whose expression failed, otherwise {@code null}. */
    public String outputField() {
        return outputField;
    }
}
