package dev.sluice.connectors.cdc.internal;

import dev.sluice.connectors.cdc.schema.AvroColumn;
import dev.sluice.connectors.cdc.schema.CdcFields;
import dev.sluice.connectors.cdc.schema.SqlDialect;
import dev.sluice.connectors.cdc.schema.TableSchemaDerivation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.flink.annotation.Internal;
import org.apache.kafka.connect.data.Field;

/**
 * Compares a changed row with a table's Avro value schema, and derives the table's next schema
 * version from it.
 *
 * <p>Exists because a table's columns change while it is captured: a row fits the current schema
 * when it has exactly its columns, each of a type the field can hold (an {@code int} field cannot
 * hold a {@code bigint} column, a {@code long} field can hold an {@code int} one) and nullable only
 * where the field is. Otherwise the next version keeps every field the row still has as it was
 * (widening its type where needed, and making it nullable where the column became so; a version
 * never narrows a type or makes a field non-null, so it can read what was written before), adds the
 * row's new columns as nullable fields with default {@code null}, and leaves out the columns the
 * row no longer has. Columns keep the row's (the table's) order, as a new plan would derive them.
 */
@Internal
final class SchemaEvolution {

    private SchemaEvolution() {}

    /**
     * How {@code row} differs from the columns of {@code valueSchema}: empty when it fits.
     *
     * @return readable descriptions ({@code column 'x' added}, ...)
     */
    static List<String> differences(
            Schema valueSchema, org.apache.kafka.connect.data.Schema row, SqlDialect dialect) {
        Map<String, AvroColumn> current = byColumn(valueSchema);
        List<String> out = new ArrayList<>();
        for (Field f : row.fields()) {
            AvroColumn c = current.remove(f.name());
            if (c == null) {
                out.add("column '" + f.name() + "' added");
                continue;
            }
            Schema type = ConnectColumnTypes.avroType(dialect, f);
            if (!holds(c.type(), type)) {
                out.add(
                        "column '"
                                + f.name()
                                + "' changed from "
                                + describe(c.type())
                                + " to "
                                + describe(type));
            }
            if (f.schema().isOptional() && !c.nullable()) {
                out.add("column '" + f.name() + "' became nullable");
            }
        }
        for (String dropped : current.keySet()) {
            out.add("column '" + dropped + "' dropped");
        }
        return out;
    }

    /**
     * The columns of the next version of a table whose value schema is {@code valueSchema} and
     * whose rows now look like {@code row}.
     *
     * @throws IllegalArgumentException naming the column when a column's type has no Avro mapping
     *     or a new column's field name clashes
     */
    static List<AvroColumn> evolve(
            Schema valueSchema, org.apache.kafka.connect.data.Schema row, SqlDialect dialect) {
        Map<String, AvroColumn> current = byColumn(valueSchema);
        Set<String> fieldNames = new HashSet<>();
        for (Field f : row.fields()) {
            AvroColumn c = current.get(f.name());
            if (c != null) {
                fieldNames.add(c.fieldName());
            }
        }
        List<AvroColumn> next = new ArrayList<>();
        for (Field f : row.fields()) {
            Schema type = ConnectColumnTypes.avroType(dialect, f);
            AvroColumn c = current.get(f.name());
            if (c != null) {
                next.add(
                        new AvroColumn(
                                c.fieldName(),
                                c.column(),
                                holds(c.type(), type) ? c.type() : type,
                                c.nullable() || f.schema().isOptional()));
                continue;
            }
            String name = TableSchemaDerivation.avroName(f.name());
            if (CdcFields.ALL.contains(name)) {
                throw new IllegalArgumentException(
                        "the new column '"
                                + f.name()
                                + "' clashes with the metadata field "
                                + name
                                + " that every change carries; rename the column");
            }
            if (!fieldNames.add(name)) {
                throw new IllegalArgumentException(
                        "the new column '"
                                + f.name()
                                + "' becomes the Avro field '"
                                + name
                                + "', which another column has; rename the column");
            }
            next.add(new AvroColumn(name, f.name(), type, true));
        }
        return next;
    }

    /** The key columns among {@code columns}, in {@code keyColumns} order. */
    static List<AvroColumn> keyColumns(List<AvroColumn> columns, List<String> keyColumns) {
        Map<String, AvroColumn> byColumn = new LinkedHashMap<>();
        columns.forEach(c -> byColumn.put(c.column(), c));
        List<AvroColumn> keys = new ArrayList<>();
        for (String key : keyColumns) {
            AvroColumn c = byColumn.get(key);
            if (c == null) {
                throw new IllegalArgumentException(
                        "key column '"
                                + key
                                + "' was dropped; apply the pipeline again (with other keys for"
                                + " the table if it has no primary key now)");
            }
            keys.add(c);
        }
        return keys;
    }

    /** Whether a field of type {@code field} can hold every value of type {@code value}. */
    static boolean holds(Schema field, Schema value) {
        if (field.equals(value)) {
            return true;
        }
        LogicalType fl = field.getLogicalType();
        LogicalType vl = value.getLogicalType();
        if (fl instanceof LogicalTypes.Decimal || vl instanceof LogicalTypes.Decimal) {
            if (!(fl instanceof LogicalTypes.Decimal) || !(vl instanceof LogicalTypes.Decimal)) {
                return false;
            }
            LogicalTypes.Decimal fd = (LogicalTypes.Decimal) fl;
            LogicalTypes.Decimal vd = (LogicalTypes.Decimal) vl;
            return fd.getScale() == vd.getScale()
                    && fd.getPrecision() >= vd.getPrecision()
                    && field.getType() == value.getType();
        }
        if (!Objects.equals(fl == null ? null : fl.getName(), vl == null ? null : vl.getName())) {
            return false;
        }
        Schema.Type f = field.getType();
        Schema.Type v = value.getType();
        if (f == v) {
            if (f == Schema.Type.ARRAY) {
                Schema fe = field.getElementType();
                Schema ve = value.getElementType();
                boolean fNull = fe.getType() == Schema.Type.UNION;
                boolean vNull = ve.getType() == Schema.Type.UNION;
                return (fNull || !vNull) && holds(nonNull(fe), nonNull(ve));
            }
            return f != Schema.Type.RECORD
                    && f != Schema.Type.UNION
                    && f != Schema.Type.MAP
                    && f != Schema.Type.ENUM
                    && f != Schema.Type.FIXED;
        }
        switch (f) {
            case LONG:
                return v == Schema.Type.INT;
            case FLOAT:
                return v == Schema.Type.INT || v == Schema.Type.LONG;
            case DOUBLE:
                return v == Schema.Type.INT || v == Schema.Type.LONG || v == Schema.Type.FLOAT;
            default:
                return false;
        }
    }

    private static Schema nonNull(Schema schema) {
        return schema.getType() == Schema.Type.UNION ? ConnectValues.nonNull(schema) : schema;
    }

    private static Map<String, AvroColumn> byColumn(Schema valueSchema) {
        Map<String, AvroColumn> out = new LinkedHashMap<>();
        for (AvroColumn c : TableSchemaDerivation.columnsOf(valueSchema)) {
            out.put(c.column(), c);
        }
        return out;
    }

    static String describe(Schema type) {
        LogicalType l = type.getLogicalType();
        if (l instanceof LogicalTypes.Decimal) {
            LogicalTypes.Decimal d = (LogicalTypes.Decimal) l;
            return "decimal(" + d.getPrecision() + ", " + d.getScale() + ")";
        }
        if (type.getType() == Schema.Type.ARRAY) {
            return "array<" + describe(nonNull(type.getElementType())) + ">";
        }
        return l != null ? l.getName() : type.getType().getName();
    }
}
