package dev.sluice.controller.validation;

/**
 * A pipeline definition that cannot be accepted, with the one place in the user's JSON to fix.
 *
 * <p>It exists so that every layer that rejects a pipeline (JSON parsing, the model's builders, the
 * graph checks, the factories validating a node's {@code config}) reports in the same shape: a
 * sentence saying what is wrong and what is allowed, and the RFC 6901 JSON pointer of the offending
 * field. The REST layer maps it to HTTP 400 {@code {"error": message, "pointer": pointer}} in one
 * place. Validation stops at the first error, so there is exactly one of these per rejected
 * request.
 */
public final class PipelineValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String pointer;

    /**
     * @param pointer RFC 6901 pointer of the offending field ({@code ""} for the whole document)
     * @param message the complete message: what is wrong and what is allowed
     */
    public PipelineValidationException(String pointer, String message) {
        this(pointer, message, null);
    }

    /** As {@link #PipelineValidationException(String, String)}, keeping the underlying cause. */
    public PipelineValidationException(String pointer, String message, Throwable cause) {
        super(message, cause);
        if (pointer == null) {
            throw new IllegalArgumentException("pointer must not be null (use \"\")");
        }
        if (message == null || message.isEmpty()) {
            throw new IllegalArgumentException("message must not be empty");
        }
        this.pointer = pointer;
    }

    /**
     * An error about the value at {@code pointer}: the message is {@code "<pointer>: <detail>"}
     * (just {@code detail} for the whole document).
     */
    public static PipelineValidationException at(String pointer, String detail) {
        return new PipelineValidationException(
                pointer, pointer.isEmpty() ? detail : pointer + ": " + detail);
    }

    /** What is wrong and what is allowed; the same text as {@link #getMessage()}. */
    public String message() {
        return getMessage();
    }

    /** The RFC 6901 JSON pointer of the offending field; {@code ""} for the whole document. */
    public String pointer() {
        return pointer;
    }
}
