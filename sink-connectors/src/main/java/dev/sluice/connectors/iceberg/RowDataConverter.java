package dev.sluice.connectors.iceberg;

import dev.sluice.connectors.sink.AvroSchemas;
import dev.sluice.connectors.sink.AvroValues;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.RowKind;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Turns Avro values into the Flink {@link RowData} that Iceberg's Flink writer takes, laid out by
 * the table's schema (columns in table order, values in the column's type: an int field into a long
 * column becomes a long). Columns without a field are null. Values may be raw Avro or already
 * converted by Avro's logical-type conversions.
 *
 * <p>Serializable for operators: it holds the schemas as JSON and builds its converters on first
 * use in the task.
 */
public final class RowDataConverter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String valueSchemaJson;
    private final String tableSchemaJson;
    private final String keySchemaJson;
    private transient StructConverter values;
    private transient StructConverter keys;
    private transient Map<String, Integer> columnPositions;

    /**
     * @param valueSchema the input's value schema
     * @param table the table's schema
     * @param keySchema the input's key schema, or {@code null}; needed for {@link #keyRow}
     */
    public RowDataConverter(Schema valueSchema, org.apache.iceberg.Schema table, Schema keySchema) {
        this.valueSchemaJson = valueSchema.toString();
        this.tableSchemaJson = SchemaParser.toJson(table);
        this.keySchemaJson = keySchema == null ? null : keySchema.toString();
    }

    /**
     * The row of a value.
     *
     * @throws IllegalArgumentException naming the field when a value does not fit its column (a
     *     null for a required column, a decimal too large for the column's precision)
     */
    public RowData toRow(GenericRecord value, RowKind kind) {
        if (values == null) {
            values = structConverter(valueSchemaJson, false);
        }
        GenericRowData row = values.convert(value);
        row.setRowKind(kind);
        return row;
    }

    /**
     * A row with only the key's columns set (the others null), for a delete by key: Iceberg's
     * upsert writer deletes by the equality columns alone.
     */
    public RowData keyRow(GenericRecord key, RowKind kind) {
        if (keySchemaJson == null) {
            throw new IllegalStateException("no key schema to read keys with");
        }
        if (keys == null) {
            keys = structConverter(keySchemaJson, true);
        }
        GenericRowData row = keys.convert(key);
        row.setRowKind(kind);
        return row;
    }

    /** The position of a top-level column in the rows this converter makes. */
    public int position(String column) {
        if (columnPositions == null) {
            Map<String, Integer> positions = new java.util.HashMap<>();
            List<Types.NestedField> columns = SchemaParser.fromJson(tableSchemaJson).columns();
            for (int i = 0; i < columns.size(); i++) {
                positions.put(columns.get(i).name(), i);
            }
            columnPositions = positions;
        }
        Integer pos = columnPositions.get(column);
        if (pos == null) {
            throw new IllegalArgumentException("the table has no column '" + column + "'");
        }
        return pos;
    }

    private StructConverter structConverter(String avroJson, boolean partial) {
        Schema avro = new Schema.Parser().parse(avroJson);
        org.apache.iceberg.Schema table = SchemaParser.fromJson(tableSchemaJson);
        return new StructConverter(null, avro, table.asStruct(), partial);
    }

    /** Converts one Avro value into the Flink internal value of a column type. */
    private interface ValueConverter {
        Object convert(Object value);
    }

    /** A record into a row laid out like a struct type. */
    private static final class StructConverter implements ValueConverter {
        private final String[] names;
        private final String[] paths;
        private final boolean[] required;
        private final ValueConverter[] converters;
        private final boolean partial;
        // Field positions by the record's schema object; records of one stream share a few.
        private final Map<Schema, int[]> positions = new IdentityHashMap<>();

        StructConverter(String parent, Schema avro, Types.StructType struct, boolean partial) {
            List<Types.NestedField> columns = struct.fields();
            int n = columns.size();
            this.names = new String[n];
            this.paths = new String[n];
            this.required = new boolean[n];
            this.converters = new ValueConverter[n];
            this.partial = partial;
            for (int i = 0; i < n; i++) {
                Types.NestedField column = columns.get(i);
                names[i] = column.name();
                paths[i] = parent == null ? column.name() : parent + "." + column.name();
                required[i] = column.isRequired();
                Schema.Field f = avro.getField(column.name());
                converters[i] = f == null ? null : converter(paths[i], f.schema(), column.type());
            }
        }

        @Override
        public GenericRowData convert(Object value) {
            GenericRecord record = (GenericRecord) value;
            int[] pos = positions.computeIfAbsent(record.getSchema(), this::positionsOf);
            GenericRowData row = new GenericRowData(names.length);
            for (int i = 0; i < names.length; i++) {
                Object v = pos[i] < 0 || converters[i] == null ? null : record.get(pos[i]);
                if (v == null) {
                    if (required[i] && !partial) {
                        throw new IllegalArgumentException(
                                "field '"
                                        + paths[i]
                                        + "' is null but the table's column is required");
                    }
                    continue;
                }
                try {
                    row.setField(i, converters[i].convert(v));
                } catch (ClassCastException e) {
                    throw new IllegalArgumentException(
                            "field '" + paths[i] + "' has an unexpected value: " + e.getMessage(),
                            e);
                }
            }
            return row;
        }

        private int[] positionsOf(Schema schema) {
            int[] pos = new int[names.length];
            for (int i = 0; i < names.length; i++) {
                Schema.Field f = schema.getField(names[i]);
                pos[i] = f == null ? -1 : f.pos();
            }
            return pos;
        }
    }

    private static ValueConverter converter(String path, Schema avro, Type type) {
        Schema s = AvroSchemas.nonNull(avro);
        switch (type.typeId()) {
            case BOOLEAN:
                return v -> (Boolean) v;
            case INTEGER:
                return v -> ((Number) v).intValue();
            case LONG:
                return v -> ((Number) v).longValue();
            case FLOAT:
                return v -> ((Number) v).floatValue();
            case DOUBLE:
                return v -> ((Number) v).doubleValue();
            case DATE:
                return v -> (int) AvroValues.date(v).toEpochDay();
            case TIME:
                return v -> (int) (AvroValues.time(v, s).toNanoOfDay() / 1_000_000L);
            case TIMESTAMP:
                if (((Types.TimestampType) type).shouldAdjustToUTC()) {
                    return v -> TimestampData.fromInstant(AvroValues.instant(v, s));
                }
                return v -> TimestampData.fromLocalDateTime(AvroValues.localDateTime(v, s));
            case STRING:
                return v -> StringData.fromString(AvroValues.text(v));
            case BINARY:
            case FIXED:
                return AvroValues::bytes;
            case DECIMAL:
                {
                    Types.DecimalType d = (Types.DecimalType) type;
                    return v -> {
                        BigDecimal bd = AvroValues.decimal(v, s);
                        DecimalData out = DecimalData.fromBigDecimal(bd, d.precision(), d.scale());
                        if (out == null) {
                            throw new IllegalArgumentException(
                                    "field '"
                                            + path
                                            + "' has "
                                            + bd.toPlainString()
                                            + ", which does not fit the column's "
                                            + d);
                        }
                        return out;
                    };
                }
            case STRUCT:
                return new StructConverter(path, s, type.asStructType(), false);
            case LIST:
                {
                    Types.ListType list = type.asListType();
                    ValueConverter element =
                            converter(path + ".element", s.getElementType(), list.elementType());
                    boolean elementRequired = list.isElementRequired();
                    return v -> {
                        Collection<?> items = (Collection<?>) v;
                        Object[] out = new Object[items.size()];
                        int i = 0;
                        for (Object item : items) {
                            if (item == null && elementRequired) {
                                throw new IllegalArgumentException(
                                        "field '" + path + "' has a null element");
                            }
                            out[i++] = item == null ? null : element.convert(item);
                        }
                        return new GenericArrayData(out);
                    };
                }
            case MAP:
                {
                    Types.MapType map = type.asMapType();
                    ValueConverter value =
                            converter(path + ".value", s.getValueType(), map.valueType());
                    boolean valueRequired = map.isValueRequired();
                    return v -> {
                        Map<Object, Object> out = new LinkedHashMap<>();
                        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                            if (e.getValue() == null && valueRequired) {
                                throw new IllegalArgumentException(
                                        "field '" + path + "' has a null value");
                            }
                            out.put(
                                    StringData.fromString(e.getKey().toString()),
                                    e.getValue() == null ? null : value.convert(e.getValue()));
                        }
                        return new GenericMapData(out);
                    };
                }
            default:
                throw new UnsupportedFieldException(
                        path, "the column type " + type + " is not written by Sluice");
        }
    }
}
