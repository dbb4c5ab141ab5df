package dev.sluice.connectors.cdc.schema;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One column as it becomes a field of a captured table's Avro records: the field name, the column's
 * real name, the Avro type of its non-null values and whether it may be null.
 *
 * <p>Exists so that the schemas derived when a pipeline is planned (from the catalog) and those
 * derived while it runs (from a changed row, see {@link TableSchemaDerivation#valueSchema}) are
 * built by the same code: the same columns always give equal schemas, so a re-planned pipeline
 * registers nothing the capture has not registered already.
 */
public final class AvroColumn {
    private final String fieldName;
    private final String column;
    private final Schema type;
    private final boolean nullable;

    /**
     * @param fieldName the Avro field name (see {@link TableSchemaDerivation#avroName})
     * @param column the column's name in the database
     * @param type the Avro type of the column's non-null values (never a union with null)
     * @param nullable whether the field is {@code ["null", type]} with default {@code null}
     */
    public AvroColumn(String fieldName, String column, Schema type, boolean nullable) {
        this.fieldName = Objects.requireNonNull(fieldName, "fieldName");
        this.column = Objects.requireNonNull(column, "column");
        this.type = Objects.requireNonNull(type, "type");
        this.nullable = nullable;
    }

    public String fieldName() {
        return fieldName;
    }

    public String column() {
        return column;
    }

    public Schema type() {
        return type;
    }

    public boolean nullable() {
        return nullable;
    }

    /** This column with another nullability. */
    public AvroColumn withNullable(boolean nullable) {
        return new AvroColumn(fieldName, column, type, nullable);
    }

    @Override
    public String toString() {
        return column + " " + type + (nullable ? "" : " not null");
    }
}
