package dev.sluice.connectors.cdc.schema;

/**
 * A column whose database type Sluice cannot capture (no Avro mapping, or Debezium does not emit
 * it). The message names the column, its type and the supported types.
 */
public final class UnsupportedColumnTypeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String column;
    private final String typeName;

    public UnsupportedColumnTypeException(String column, String typeName, String message) {
        super(message);
        this.column = column;
        this.typeName = typeName;
    }

    public String column() {
        return column;
    }

    public String typeName() {
        return typeName;
    }
}
