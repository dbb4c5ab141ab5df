package dev.sluice.controller.deployment;

/** A schema the pipeline would register is incompatible with what consumers already read (409). */
public final class SchemaConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SchemaConflictException(String message) {
        super(message);
    }
}
