package dev.sluice.sdk.config;

import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A node's configuration is wrong. Carries the JSON pointer of the offending field (e.g. {@code
 * /processors/1/config/condition}) so the controller can answer a 400 that names it.
 */
@PublicEvolving
public class ConfigValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String pointer;

    public ConfigValidationException(String pointer, String message) {
        super(message);
        this.pointer = Objects.requireNonNull(pointer, "pointer");
    }

    public ConfigValidationException(String pointer, String message, Throwable cause) {
        super(message, cause);
        this.pointer = Objects.requireNonNull(pointer, "pointer");
    }

    /** RFC 6901 JSON pointer of the field at fault. */
    public String pointer() {
        return pointer;
    }
}
