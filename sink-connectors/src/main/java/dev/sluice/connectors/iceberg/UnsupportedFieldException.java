package dev.sluice.connectors.iceberg;

/**
 * A field of the input that the Iceberg sink cannot write, or that does not fit the existing table;
 * carries the field's path ({@code address.city}) so the planner's message can name it.
 */
public final class UnsupportedFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String path;

    public UnsupportedFieldException(String path, String message) {
        super("field '" + path + "': " + message);
        this.path = path;
    }

    /** The field's dotted path from the top-level record. */
    public String path() {
        return path;
    }
}
