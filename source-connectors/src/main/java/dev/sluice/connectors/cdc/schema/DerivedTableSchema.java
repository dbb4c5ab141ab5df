package dev.sluice.connectors.cdc.schema;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * The Avro schemas of one captured table: the value (the row flattened plus the {@link CdcFields}
 * metadata) and the key (a record of the key columns). Registered as {@code <topic>-value} and
 * {@code <topic>-key}; the capture writes exactly these schemas.
 */
public final class DerivedTableSchema {
    private final TableDefinition table;
    private final Schema valueSchema;
    private final Schema keySchema;

    public DerivedTableSchema(TableDefinition table, Schema valueSchema, Schema keySchema) {
        this.table = Objects.requireNonNull(table, "table");
        this.valueSchema = Objects.requireNonNull(valueSchema, "valueSchema");
        this.keySchema = Objects.requireNonNull(keySchema, "keySchema");
    }

    /** The table the schemas were derived from. */
    public TableDefinition table() {
        return table;
    }

    public Schema valueSchema() {
        return valueSchema;
    }

    public Schema keySchema() {
        return keySchema;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DerivedTableSchema)) {
            return false;
        }
        DerivedTableSchema d = (DerivedTableSchema) o;
        return table.equals(d.table)
                && valueSchema.equals(d.valueSchema)
                && keySchema.equals(d.keySchema);
    }

    @Override
    public int hashCode() {
        return Objects.hash(table, valueSchema, keySchema);
    }

    @Override
    public String toString() {
        return table.qualifiedName() + ": " + valueSchema.getFullName();
    }
}
