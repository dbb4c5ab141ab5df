package dev.sluice.controller.service;

/**
 * A request the controller refuses, with the HTTP status it maps to. The REST layer turns it into
 * {@code {"error": ..., "pointer": ...}} in one place; handlers never build error responses.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String pointer;

    public ApiException(int status, String message, String pointer) {
        super(message);
        this.status = status;
        this.pointer = pointer;
    }

    public static ApiException notFound(String name) {
        return new ApiException(404, "pipeline '" + name + "' does not exist", null);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message, null);
    }

    public int status() {
        return status;
    }

    /** The JSON pointer of the field at fault, or {@code null}. */
    public String pointer() {
        return pointer;
    }
}
