package dev.sluice.connectors.iceberg;

import dev.sluice.connectors.sink.AvroSchemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The Avro schema of the rows an Iceberg table holds, for the {@code iceberg} batch source: the
 * inverse of {@link AvroIcebergTypes}, so a table Sluice wrote reads back with the types it was
 * written with (a string read back from a uuid column aside).
 *
 * <table>
 *   <caption>Iceberg to Avro</caption>
 *   <tr><th>Iceberg</th><th>Avro</th></tr>
 *   <tr><td>boolean, int, long, float, double</td><td>boolean, int, long, float, double</td></tr>
 *   <tr><td>string</td><td>string</td></tr>
 *   <tr><td>uuid</td><td>string (uuid), in its 8-4-4-4-12 text form</td></tr>
 *   <tr><td>binary / fixed[n]</td><td>bytes / fixed(n)</td></tr>
 *   <tr><td>decimal(p, s)</td><td>decimal(p, s) on bytes</td></tr>
 *   <tr><td>date</td><td>int date</td></tr>
 *   <tr><td>time</td><td>long time-micros (Iceberg's Flink reader keeps milliseconds)</td></tr>
 *   <tr><td>timestamp</td><td>long local-timestamp-micros</td></tr>
 *   <tr><td>timestamptz</td><td>long timestamp-micros</td></tr>
 *   <tr><td>struct, list, map with string keys</td><td>record, array, map (recursively)</td></tr>
 *   <tr><td>optional X</td><td>[null, X] with default null</td></tr>
 * </table>
 *
 * Refused, naming the column: timestamp_ns (Avro 1.11 has no nanosecond timestamps), maps whose
 * keys are not strings, and the format-v3 types variant, geometry, geography and unknown. Column
 * names that are not Avro names are made so ({@link AvroSchemas#avroName}); nested records and
 * fixed types are named after their path.
 */
public final class IcebergAvroTypes {

    private IcebergAvroTypes() {}

    /**
     * The record schema {@code name} in {@code namespace} of rows of {@code schema}.
     *
     * @throws UnsupportedFieldException naming the first column without an Avro type
     */
    public static Schema toAvro(org.apache.iceberg.Schema schema, String name, String namespace) {
        Set<String> names = new HashSet<>();
        names.add(name);
        return record(schema.asStruct(), name, namespace, null, names);
    }

    private static Schema record(
            Types.StructType struct,
            String name,
            String namespace,
            String path,
            Set<String> names) {
        List<Schema.Field> fields = new ArrayList<>();
        Map<String, String> taken = new HashMap<>();
        for (Types.NestedField column : struct.fields()) {
            String columnPath = path == null ? column.name() : path + "." + column.name();
            String fieldName = AvroSchemas.avroName(column.name());
            String other = taken.putIfAbsent(fieldName, column.name());
            if (other != null) {
                throw new UnsupportedFieldException(
                        columnPath,
                        "its Avro name '"
                                + fieldName
                                + "' is also the name of '"
                                + other
                                + "'; rename one of the columns");
            }
            Schema type = toAvro(column.type(), columnPath, namespace, names);
            Schema.Field field =
                    column.isOptional()
                            ? new Schema.Field(
                                    fieldName,
                                    Schema.createUnion(Schema.create(Schema.Type.NULL), type),
                                    column.doc(),
                                    JsonProperties.NULL_VALUE)
                            : new Schema.Field(fieldName, type, column.doc());
            fields.add(field);
        }
        return Schema.createRecord(name, null, namespace, false, fields);
    }

    /**
     * The Avro type of values of an Iceberg type.
     *
     * @param path the column's dotted path, for messages and the names of nested types
     * @param names the names of named types so far, to keep names unique
     * @throws UnsupportedFieldException when there is no Avro type for it
     */
    static Schema toAvro(Type type, String path, String namespace, Set<String> names) {
        switch (type.typeId()) {
            case BOOLEAN:
                return Schema.create(Schema.Type.BOOLEAN);
            case INTEGER:
                return Schema.create(Schema.Type.INT);
            case LONG:
                return Schema.create(Schema.Type.LONG);
            case FLOAT:
                return Schema.create(Schema.Type.FLOAT);
            case DOUBLE:
                return Schema.create(Schema.Type.DOUBLE);
            case DATE:
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIME:
                return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP:
                return ((Types.TimestampType) type).shouldAdjustToUTC()
                        ? LogicalTypes.timestampMicros()
                                .addToSchema(Schema.create(Schema.Type.LONG))
                        : LogicalTypes.localTimestampMicros()
                                .addToSchema(Schema.create(Schema.Type.LONG));
            case STRING:
                return Schema.create(Schema.Type.STRING);
            case UUID:
                return LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
            case BINARY:
                return Schema.create(Schema.Type.BYTES);
            case FIXED:
                return Schema.createFixed(
                        typeName(path, names), null, namespace, ((Types.FixedType) type).length());
            case DECIMAL:
                {
                    Types.DecimalType d = (Types.DecimalType) type;
                    return LogicalTypes.decimal(d.precision(), d.scale())
                            .addToSchema(Schema.create(Schema.Type.BYTES));
                }
            case STRUCT:
                return record(type.asStructType(), typeName(path, names), namespace, path, names);
            case LIST:
                {
                    Types.ListType list = type.asListType();
                    Schema element =
                            toAvro(list.elementType(), path + ".element", namespace, names);
                    return Schema.createArray(
                            list.isElementOptional() ? nullable(element) : element);
                }
            case MAP:
                {
                    Types.MapType map = type.asMapType();
                    if (map.keyType().typeId() != Type.TypeID.STRING) {
                        throw new UnsupportedFieldException(
                                path,
                                "a map with "
                                        + map.keyType()
                                        + " keys has no Avro type (Avro map keys are strings)");
                    }
                    Schema value = toAvro(map.valueType(), path + ".value", namespace, names);
                    return Schema.createMap(map.isValueOptional() ? nullable(value) : value);
                }
            case TIMESTAMP_NANO:
                throw new UnsupportedFieldException(
                        path,
                        "type "
                                + type
                                + " has no Avro type here (Avro 1.11 has no nanosecond"
                                + " timestamps)");
            default:
                throw new UnsupportedFieldException(
                        path, "type " + type + " is not read by Sluice");
        }
    }

    private static Schema nullable(Schema schema) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), schema);
    }

    /** A name for the named type at {@code path}: the path, made unique with a number. */
    private static String typeName(String path, Set<String> names) {
        String base = AvroSchemas.avroName(path.replace('.', '_'));
        String name = base;
        for (int i = 2; !names.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }
}
