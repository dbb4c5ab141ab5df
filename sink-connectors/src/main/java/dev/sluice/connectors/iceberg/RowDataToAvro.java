package dev.sluice.connectors.iceberg;

import dev.sluice.connectors.sink.AvroSchemas;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Turns the Flink {@link RowData} that Iceberg's Flink reader produces into Avro records of the
 * schema {@link IcebergAvroTypes} derived: raw Avro values (a ByteBuffer for decimals and bytes,
 * days for dates, microseconds for times and timestamps, text for uuids).
 *
 * <p>Serializable for operators: it holds both schemas as JSON and builds its converters on first
 * use in the task.
 */
public final class RowDataToAvro implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String tableSchemaJson;
    private final String avroSchemaJson;
    private transient StructConverter root;

    /**
     * @param table the schema the rows are read with (the source's projection)
     * @param avro the record schema derived from it by {@link IcebergAvroTypes#toAvro}
     */
    public RowDataToAvro(org.apache.iceberg.Schema table, Schema avro) {
        this.tableSchemaJson = SchemaParser.toJson(table);
        this.avroSchemaJson = avro.toString();
    }

    /**
     * The record of a row.
     *
     * @throws IllegalArgumentException naming the column when a value has no Avro form (a null in a
     *     required column)
     */
    public GenericRecord toRecord(RowData row) {
        if (root == null) {
            root =
                    new StructConverter(
                            null,
                            SchemaParser.fromJson(tableSchemaJson).asStruct(),
                            new Schema.Parser().parse(avroSchemaJson));
        }
        return root.convert(row);
    }

    /** Converts one Flink internal value into its Avro value. */
    private interface ValueConverter {
        Object convert(Object value);
    }

    /** A row into a record. */
    private static final class StructConverter implements ValueConverter {
        private final Schema record;
        private final String[] paths;
        private final boolean[] required;
        private final RowData.FieldGetter[] getters;
        private final ValueConverter[] converters;

        StructConverter(String parent, Types.StructType struct, Schema record) {
            this.record = record;
            List<Types.NestedField> columns = struct.fields();
            int n = columns.size();
            this.paths = new String[n];
            this.required = new boolean[n];
            this.getters = new RowData.FieldGetter[n];
            this.converters = new ValueConverter[n];
            for (int i = 0; i < n; i++) {
                Types.NestedField column = columns.get(i);
                paths[i] = parent == null ? column.name() : parent + "." + column.name();
                required[i] = column.isRequired();
                getters[i] = RowData.createFieldGetter(FlinkSchemaUtil.convert(column.type()), i);
                converters[i] =
                        converter(
                                paths[i],
                                column.type(),
                                AvroSchemas.nonNull(record.getFields().get(i).schema()));
            }
        }

        @Override
        public GenericRecord convert(Object value) {
            RowData row = (RowData) value;
            GenericData.Record out = new GenericData.Record(record);
            for (int i = 0; i < getters.length; i++) {
                Object v = getters[i].getFieldOrNull(row);
                if (v == null) {
                    if (required[i]) {
                        throw new IllegalArgumentException(
                                "column '" + paths[i] + "' is required but the row has no value");
                    }
                    continue;
                }
                out.put(i, converters[i].convert(v));
            }
            return out;
        }
    }

    private static ValueConverter converter(String path, Type type, Schema avro) {
        switch (type.typeId()) {
            case BOOLEAN:
            case INTEGER:
            case LONG:
            case FLOAT:
            case DOUBLE:
            case DATE:
                return v -> v;
            case TIME:
                // Iceberg's Flink reader holds times as milliseconds of the day.
                return v -> ((Number) v).longValue() * 1_000L;
            case TIMESTAMP:
                return v -> {
                    TimestampData ts = (TimestampData) v;
                    return Math.addExact(
                            Math.multiplyExact(ts.getMillisecond(), 1_000L),
                            ts.getNanoOfMillisecond() / 1_000L);
                };
            case STRING:
                return Object::toString;
            case UUID:
                return v -> uuid((byte[]) v);
            case BINARY:
                return v -> ByteBuffer.wrap((byte[]) v);
            case FIXED:
                return v -> new GenericData.Fixed(avro, (byte[]) v);
            case DECIMAL:
                {
                    int scale = ((Types.DecimalType) type).scale();
                    return v ->
                            ByteBuffer.wrap(
                                    ((DecimalData) v)
                                            .toBigDecimal()
                                            .setScale(scale)
                                            .unscaledValue()
                                            .toByteArray());
                }
            case STRUCT:
                return new StructConverter(path, type.asStructType(), avro);
            case LIST:
                {
                    Types.ListType list = type.asListType();
                    ArrayData.ElementGetter getter =
                            ArrayData.createElementGetter(
                                    FlinkSchemaUtil.convert(list.elementType()));
                    ValueConverter element =
                            converter(
                                    path + ".element",
                                    list.elementType(),
                                    AvroSchemas.nonNull(avro.getElementType()));
                    return v -> {
                        ArrayData array = (ArrayData) v;
                        List<Object> out = new ArrayList<>(array.size());
                        for (int i = 0; i < array.size(); i++) {
                            Object item = getter.getElementOrNull(array, i);
                            out.add(item == null ? null : element.convert(item));
                        }
                        return out;
                    };
                }
            case MAP:
                {
                    Types.MapType map = type.asMapType();
                    ArrayData.ElementGetter values =
                            ArrayData.createElementGetter(FlinkSchemaUtil.convert(map.valueType()));
                    ValueConverter value =
                            converter(
                                    path + ".value",
                                    map.valueType(),
                                    AvroSchemas.nonNull(avro.getValueType()));
                    return v -> {
                        MapData data = (MapData) v;
                        ArrayData keyArray = data.keyArray();
                        ArrayData valueArray = data.valueArray();
                        Map<String, Object> out = new LinkedHashMap<>();
                        for (int i = 0; i < data.size(); i++) {
                            Object item = values.getElementOrNull(valueArray, i);
                            out.put(
                                    keyArray.getString(i).toString(),
                                    item == null ? null : value.convert(item));
                        }
                        return out;
                    };
                }
            default:
                throw new UnsupportedFieldException(
                        path, "type " + type + " is not read by Sluice");
        }
    }

    private static String uuid(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new UUID(b.getLong(), b.getLong()).toString();
    }
}
