package dev.sluice.connectors.iceberg;

import dev.sluice.connectors.sink.AvroSchemas;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The mapping from Sluice's Avro schemas to Iceberg types, used to create tables and to check
 * existing ones. Iceberg ships an Avro converter, but against its own relocated copy of Avro, so
 * the mapping is ours:
 *
 * <table>
 *   <caption>Avro to Iceberg</caption>
 *   <tr><th>Avro</th><th>Iceberg</th></tr>
 *   <tr><td>boolean, int, long, float, double</td><td>boolean, int, long, float, double</td></tr>
 *   <tr><td>string (also uuid), enum</td><td>string</td></tr>
 *   <tr><td>bytes / fixed(n)</td><td>binary / fixed[n]</td></tr>
 *   <tr><td>decimal(p, s) on bytes or fixed</td><td>decimal(p, s), p &le; 38</td></tr>
 *   <tr><td>int date</td><td>date</td></tr>
 *   <tr><td>int time-millis, long time-micros</td><td>time</td></tr>
 *   <tr><td>long timestamp-millis / -micros (an instant)</td><td>timestamptz</td></tr>
 *   <tr><td>long local-timestamp-millis / -micros</td><td>timestamp (without zone)</td></tr>
 *   <tr><td>array, map (string keys), record</td><td>list, map, struct (recursively)</td></tr>
 *   <tr><td>[null, X]</td><td>X, optional</td></tr>
 * </table>
 *
 * Other unions and {@code null} alone have no Iceberg type and are refused with the field's path.
 * Iceberg keeps microseconds: millisecond values are widened, never truncated.
 */
public final class AvroIcebergTypes {

    /** Iceberg's largest decimal precision. */
    public static final int MAX_DECIMAL_PRECISION = 38;

    private AvroIcebergTypes() {}

    /**
     * An Iceberg schema for the fields of a record: top-level columns are optional except the
     * {@code identifierColumns} (the upsert key, required, and the schema's identifier fields);
     * nested fields keep Avro's nullability. Field ids are assigned in order from 1; a catalog
     * reassigns them when it creates the table.
     *
     * @throws UnsupportedFieldException naming the first field without an Iceberg type
     */
    public static org.apache.iceberg.Schema toSchema(
            List<Schema.Field> fields, List<String> identifierColumns) {
        AtomicInteger ids = new AtomicInteger(0);
        List<Types.NestedField> columns = new ArrayList<>();
        Set<Integer> identifierIds = new HashSet<>();
        // Top-level ids first, so nested ids never collide with them.
        int[] topIds = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            topIds[i] = ids.incrementAndGet();
        }
        for (int i = 0; i < fields.size(); i++) {
            Schema.Field f = fields.get(i);
            boolean identifier = identifierColumns.contains(f.name());
            Type type = toType(f.schema(), f.name(), ids);
            columns.add(
                    identifier
                            ? Types.NestedField.required(topIds[i], f.name(), type, f.doc())
                            : Types.NestedField.optional(topIds[i], f.name(), type, f.doc()));
            if (identifier) {
                identifierIds.add(topIds[i]);
            }
        }
        return new org.apache.iceberg.Schema(columns, identifierIds);
    }

    /**
     * The Iceberg type of an Avro schema (nullability aside: a {@code [null, X]} union maps to X's
     * type). Nested ids come from {@code ids}.
     *
     * @param path the field's dotted path, for messages
     * @throws UnsupportedFieldException when there is no Iceberg type for it
     */
    public static Type toType(Schema avro, String path, AtomicInteger ids) {
        Schema s;
        try {
            s = AvroSchemas.nonNull(avro);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedFieldException(path, e.getMessage());
        }
        String logical = AvroSchemas.logicalName(s);
        switch (s.getType()) {
            case BOOLEAN:
                return Types.BooleanType.get();
            case INT:
                if ("date".equals(logical)) {
                    return Types.DateType.get();
                }
                if ("time-millis".equals(logical)) {
                    return Types.TimeType.get();
                }
                return Types.IntegerType.get();
            case LONG:
                if ("time-micros".equals(logical)) {
                    return Types.TimeType.get();
                }
                if ("timestamp-millis".equals(logical) || "timestamp-micros".equals(logical)) {
                    return Types.TimestampType.withZone();
                }
                if ("local-timestamp-millis".equals(logical)
                        || "local-timestamp-micros".equals(logical)) {
                    return Types.TimestampType.withoutZone();
                }
                return Types.LongType.get();
            case FLOAT:
                return Types.FloatType.get();
            case DOUBLE:
                return Types.DoubleType.get();
            case STRING:
            case ENUM:
                return Types.StringType.get();
            case BYTES:
                if (AvroSchemas.isDecimal(s)) {
                    return decimal(s, path);
                }
                return Types.BinaryType.get();
            case FIXED:
                if (AvroSchemas.isDecimal(s)) {
                    return decimal(s, path);
                }
                return Types.FixedType.ofLength(s.getFixedSize());
            case ARRAY:
                {
                    int elementId = ids.incrementAndGet();
                    Type element = toType(s.getElementType(), path + ".element", ids);
                    return AvroSchemas.isNullable(s.getElementType())
                            ? Types.ListType.ofOptional(elementId, element)
                            : Types.ListType.ofRequired(elementId, element);
                }
            case MAP:
                {
                    int keyId = ids.incrementAndGet();
                    int valueId = ids.incrementAndGet();
                    Type value = toType(s.getValueType(), path + ".value", ids);
                    return AvroSchemas.isNullable(s.getValueType())
                            ? Types.MapType.ofOptional(
                                    keyId, valueId, Types.StringType.get(), value)
                            : Types.MapType.ofRequired(
                                    keyId, valueId, Types.StringType.get(), value);
                }
            case RECORD:
                {
                    List<Schema.Field> fields = s.getFields();
                    int[] fieldIds = new int[fields.size()];
                    for (int i = 0; i < fields.size(); i++) {
                        fieldIds[i] = ids.incrementAndGet();
                    }
                    List<Types.NestedField> out = new ArrayList<>();
                    for (int i = 0; i < fields.size(); i++) {
                        Schema.Field f = fields.get(i);
                        Type type = toType(f.schema(), path + "." + f.name(), ids);
                        out.add(
                                AvroSchemas.isNullable(f.schema())
                                        ? Types.NestedField.optional(
                                                fieldIds[i], f.name(), type, f.doc())
                                        : Types.NestedField.required(
                                                fieldIds[i], f.name(), type, f.doc()));
                    }
                    return Types.StructType.of(out);
                }
            default:
                throw new UnsupportedFieldException(
                        path,
                        "Avro type " + AvroSchemas.describe(avro) + " has no Iceberg column type");
        }
    }

    private static Type decimal(Schema s, String path) {
        LogicalTypes.Decimal d = (LogicalTypes.Decimal) s.getLogicalType();
        if (d.getPrecision() > MAX_DECIMAL_PRECISION) {
            throw new UnsupportedFieldException(
                    path,
                    "decimal("
                            + d.getPrecision()
                            + ", "
                            + d.getScale()
                            + ") exceeds Iceberg's largest precision, "
                            + MAX_DECIMAL_PRECISION);
        }
        return Types.DecimalType.of(d.getPrecision(), d.getScale());
    }
}
