package dev.sluice.schemas.serde;

/**
 * A payload could not be decoded: not in Confluent wire format, an unknown schema id, or corrupt
 * Avro.
 *
 * <p>A distinct unchecked type so that callers can tell "this record is bad" (dead-letter it and go
 * on) from failures of the job itself (registry unreachable: fail and restart).
 */
public class WireFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
