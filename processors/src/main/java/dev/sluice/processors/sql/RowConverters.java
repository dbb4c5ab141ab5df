package dev.sluice.processors.sql;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimeType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.types.Row;

/**
 * Converts values between Avro's generic representation and the Java classes Flink's Table API uses
 * for {@link Row}s ({@code LocalDateTime} for TIMESTAMP, {@code BigDecimal} for DECIMAL, object
 * arrays for ARRAY, ...), following the type mapping of {@link AvroFlinkTypes}. Converters are
 * built once per operator and reused for every record.
 */
final class RowConverters {

    private RowConverters() {}

    /** One value from one representation to the other; null handling is the caller's. */
    @FunctionalInterface
    interface Converter {
        Object convert(Object value);
    }

    // ------------------------------------------------------------------ Avro -> Flink

    /**
     * Reads Avro values of {@code avro} (possibly a nullable union) as Flink values of {@code
     * type}. A null where the Flink type is NOT NULL fails with the field's name.
     */
    static Converter reader(Schema avro, DataType type, String path) {
        Schema nonNull = nonNull(avro);
        Converter inner = nonNullReader(nonNull, type, path);
        boolean nullable = type.getLogicalType().isNullable();
        return value -> {
            if (value == null) {
                if (!nullable) {
                    throw new IllegalArgumentException(
                            "field '" + path + "' is null, but its schema does not allow null");
                }
                return null;
            }
            return inner.convert(value);
        };
    }

    private static Converter nonNullReader(Schema avro, DataType type, String path) {
        LogicalType flink = type.getLogicalType();
        switch (flink.getTypeRoot()) {
            case VARCHAR:
                return Object::toString;
            case BOOLEAN:
            case INTEGER:
            case BIGINT:
            case FLOAT:
            case DOUBLE:
                return value -> value;
            case DECIMAL:
                {
                    int scale = ((LogicalTypes.Decimal) avro.getLogicalType()).getScale();
                    return value -> {
                        if (value instanceof BigDecimal) {
                            return value;
                        }
                        return new BigDecimal(new BigInteger(bytes(value)), scale);
                    };
                }
            case VARBINARY:
                return RowConverters::bytes;
            case DATE:
                return value ->
                        value instanceof LocalDate
                                ? value
                                : LocalDate.ofEpochDay(((Number) value).longValue());
            case TIME_WITHOUT_TIME_ZONE:
                {
                    boolean micros = ((TimeType) flink).getPrecision() > 3;
                    return value -> {
                        if (value instanceof LocalTime) {
                            return value;
                        }
                        long v = ((Number) value).longValue();
                        return LocalTime.ofNanoOfDay(micros ? v * 1_000L : v * 1_000_000L);
                    };
                }
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                {
                    boolean micros =
                            avro.getLogicalType() instanceof LogicalTypes.TimestampMicros
                                    || avro.getLogicalType()
                                            instanceof LogicalTypes.LocalTimestampMicros;
                    return value -> {
                        if (value instanceof LocalDateTime) {
                            return value;
                        }
                        if (value instanceof Instant) {
                            return LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC);
                        }
                        long v = ((Number) value).longValue();
                        return micros ? fromMicros(v) : fromMillis(v);
                    };
                }
            case ARRAY:
                {
                    DataType element = type.getChildren().get(0);
                    Converter item = reader(avro.getElementType(), element, path + "[]");
                    Class<?> elementClass = element.getConversionClass();
                    return value -> {
                        Collection<?> items = (Collection<?>) value;
                        Object array = Array.newInstance(elementClass, items.size());
                        int i = 0;
                        for (Object o : items) {
                            Array.set(array, i++, item.convert(o));
                        }
                        return array;
                    };
                }
            case MAP:
                {
                    Converter entry =
                            reader(avro.getValueType(), type.getChildren().get(1), path + "{}");
                    return value -> {
                        Map<?, ?> in = (Map<?, ?>) value;
                        Map<String, Object> out = new LinkedHashMap<>(in.size() * 2);
                        in.forEach((k, v) -> out.put(k.toString(), entry.convert(v)));
                        return out;
                    };
                }
            case ROW:
                {
                    List<Schema.Field> fields = avro.getFields();
                    List<DataType> children = type.getChildren();
                    Converter[] converters = new Converter[fields.size()];
                    for (int i = 0; i < converters.length; i++) {
                        converters[i] =
                                reader(
                                        fields.get(i).schema(),
                                        children.get(i),
                                        path + "." + fields.get(i).name());
                    }
                    return value -> {
                        GenericRecord record = (GenericRecord) value;
                        Row row = new Row(converters.length);
                        for (int i = 0; i < converters.length; i++) {
                            row.setField(i, converters[i].convert(record.get(i)));
                        }
                        return row;
                    };
                }
            default:
                throw new IllegalStateException("no reader for " + flink + " at " + path);
        }
    }

    /** Epoch milliseconds of an event-time value (timestamp-millis/-micros or plain millis). */
    static long eventTimeMillis(Schema avro, Object value) {
        if (value instanceof Instant) {
            return ((Instant) value).toEpochMilli();
        }
        long v = ((Number) value).longValue();
        return nonNull(avro).getLogicalType() instanceof LogicalTypes.TimestampMicros
                ? Math.floorDiv(v, 1000L)
                : v;
    }

    static LocalDateTime fromMillis(long millis) {
        return LocalDateTime.ofEpochSecond(
                Math.floorDiv(millis, 1000L),
                (int) Math.floorMod(millis, 1000L) * 1_000_000,
                ZoneOffset.UTC);
    }

    private static LocalDateTime fromMicros(long micros) {
        return LocalDateTime.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1_000,
                ZoneOffset.UTC);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer) {
            ByteBuffer buffer = ((ByteBuffer) value).duplicate();
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        }
        if (value instanceof GenericFixed) {
            return ((GenericFixed) value).bytes().clone();
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).clone();
        }
        throw new IllegalArgumentException(
                "expected bytes, got " + value.getClass().getSimpleName());
    }

    // ------------------------------------------------------------------ Flink -> Avro

    /** Writes Flink values of {@code type} as Avro values of {@code avro} (its own output). */
    static Converter writer(LogicalType type, Schema avro) {
        Converter inner = nonNullWriter(type, nonNull(avro));
        return value -> value == null ? null : inner.convert(value);
    }

    private static Converter nonNullWriter(LogicalType type, Schema avro) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return Object::toString;
            case BOOLEAN:
            case INTEGER:
            case BIGINT:
            case FLOAT:
            case DOUBLE:
                return value -> value;
            case TINYINT:
            case SMALLINT:
                return value -> ((Number) value).intValue();
            case DECIMAL:
                return value -> ByteBuffer.wrap(((BigDecimal) value).unscaledValue().toByteArray());
            case DATE:
                return value -> (int) ((LocalDate) value).toEpochDay();
            case TIME_WITHOUT_TIME_ZONE:
                return ((TimeType) type).getPrecision() <= 3
                        ? value -> (int) (((LocalTime) value).toNanoOfDay() / 1_000_000L)
                        : value -> ((LocalTime) value).toNanoOfDay() / 1_000L;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                {
                    boolean millis = ((TimestampType) type).getPrecision() <= 3;
                    return value ->
                            epoch(((LocalDateTime) value).toInstant(ZoneOffset.UTC), millis);
                }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                {
                    boolean millis = ((LocalZonedTimestampType) type).getPrecision() <= 3;
                    return value -> epoch((Instant) value, millis);
                }
            case BINARY:
            case VARBINARY:
                return value -> ByteBuffer.wrap((byte[]) value);
            case ARRAY:
                {
                    Converter item =
                            writer(((ArrayType) type).getElementType(), avro.getElementType());
                    return value -> {
                        int n = Array.getLength(value);
                        List<Object> out = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            out.add(item.convert(Array.get(value, i)));
                        }
                        return new GenericData.Array<>(avro, out);
                    };
                }
            case MAP:
                {
                    Converter entry = writer(((MapType) type).getValueType(), avro.getValueType());
                    return value -> {
                        Map<?, ?> in = (Map<?, ?>) value;
                        Map<String, Object> out = new LinkedHashMap<>(in.size() * 2);
                        in.forEach((k, v) -> out.put(String.valueOf(k), entry.convert(v)));
                        return out;
                    };
                }
            case ROW:
                {
                    List<RowType.RowField> fields = ((RowType) type).getFields();
                    Converter[] converters = new Converter[fields.size()];
                    for (int i = 0; i < converters.length; i++) {
                        converters[i] =
                                writer(fields.get(i).getType(), avro.getFields().get(i).schema());
                    }
                    return value -> {
                        Row row = (Row) value;
                        GenericData.Record record = new GenericData.Record(avro);
                        for (int i = 0; i < converters.length; i++) {
                            record.put(i, converters[i].convert(row.getField(i)));
                        }
                        return record;
                    };
                }
            default:
                throw new IllegalStateException("no writer for " + type);
        }
    }

    private static long epoch(Instant instant, boolean millis) {
        if (millis) {
            return instant.toEpochMilli();
        }
        return Math.addExact(
                Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                instant.getNano() / 1_000L);
    }

    static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        return schema;
    }
}
