package dev.sluice.connectors.cdc.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.flink.annotation.Internal;
import org.apache.kafka.connect.data.Struct;

/**
 * Converts the values Debezium emits (Kafka Connect data, interpreted by the Connect schema's
 * semantic name) into the Avro representation of the field's planned type.
 *
 * <p>Driven by the target Avro type, not by what Debezium happened to emit: a timestamp field takes
 * Debezium's {@code ZonedTimestamp} text, its {@code Timestamp} milliseconds, {@code
 * MicroTimestamp} microseconds or {@code NanoTimestamp} nanoseconds alike, so a column's values
 * stay of one type whatever precision the column has. A value that cannot fit its type fails with
 * the column's name.
 */
@Internal
final class ConnectValues {

    private static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";

    private ConnectValues() {}

    /**
     * The Avro value of {@code value} for {@code target}.
     *
     * @param semantic the Connect schema name of the value ({@code io.debezium.time.MicroTime},
     *     ...), or {@code null}
     * @throws IllegalArgumentException if the value does not fit the target type
     */
    static Object toAvro(Object value, String semantic, Schema target) {
        if (value == null) {
            return null;
        }
        Schema type = target;
        if (type.getType() == Schema.Type.UNION) {
            type = nonNull(type);
        }
        LogicalType logical = type.getLogicalType();
        switch (type.getType()) {
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                if (value instanceof Number) {
                    return ((Number) value).longValue() != 0;
                }
                break;
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    if (value instanceof java.util.Date) {
                        return (int) Math.floorDiv(((java.util.Date) value).getTime(), 86_400_000L);
                    }
                    if (value instanceof Number) {
                        return ((Number) value).intValue();
                    }
                    break;
                }
                if (value instanceof Number) {
                    long v = ((Number) value).longValue();
                    if (v != (int) v) {
                        throw new IllegalArgumentException(value + " does not fit Avro int");
                    }
                    return (int) v;
                }
                break;
            case LONG:
                if (logical instanceof LogicalTypes.TimeMicros) {
                    return timeMicros(value, semantic);
                }
                if (logical instanceof LogicalTypes.TimestampMicros
                        || logical instanceof LogicalTypes.LocalTimestampMicros) {
                    return timestampMicros(value, semantic);
                }
                if (value instanceof Number) {
                    return ((Number) value).longValue();
                }
                break;
            case FLOAT:
                if (value instanceof Number) {
                    return ((Number) value).floatValue();
                }
                break;
            case DOUBLE:
                if (value instanceof Number) {
                    return ((Number) value).doubleValue();
                }
                break;
            case STRING:
                if (value instanceof Struct && VARIABLE_SCALE_DECIMAL.equals(semantic)) {
                    return variableScaleDecimal((Struct) value).toPlainString();
                }
                if (value instanceof BigDecimal) {
                    return ((BigDecimal) value).toPlainString();
                }
                if (value instanceof String
                        || value instanceof Number
                        || value instanceof Boolean) {
                    return value.toString();
                }
                break;
            case BYTES:
                if (logical instanceof LogicalTypes.Decimal) {
                    return decimal(value, semantic, (LogicalTypes.Decimal) logical);
                }
                if (value instanceof ByteBuffer) {
                    return ((ByteBuffer) value).duplicate();
                }
                if (value instanceof byte[]) {
                    return ByteBuffer.wrap((byte[]) value);
                }
                break;
            case ARRAY:
                if (value instanceof List) {
                    List<Object> out = new ArrayList<>();
                    for (Object item : (List<?>) value) {
                        out.add(toAvro(item, null, type.getElementType()));
                    }
                    return out;
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException(
                "cannot store a "
                        + value.getClass().getSimpleName()
                        + (semantic != null ? " (" + semantic + ")" : "")
                        + " as Avro "
                        + describe(type));
    }

    private static long timeMicros(Object value, String semantic) {
        if (value instanceof java.util.Date) {
            return ((java.util.Date) value).getTime() * 1000L;
        }
        if (value instanceof Number) {
            long v = ((Number) value).longValue();
            if ("io.debezium.time.Time".equals(semantic)) {
                return v * 1000L;
            }
            if ("io.debezium.time.NanoTime".equals(semantic)) {
                return Math.floorDiv(v, 1000L);
            }
            return v; // io.debezium.time.MicroTime
        }
        throw new IllegalArgumentException(
                "cannot store a " + value.getClass().getSimpleName() + " as a time of day");
    }

    private static long timestampMicros(Object value, String semantic) {
        if (value instanceof java.util.Date) {
            return ((java.util.Date) value).getTime() * 1000L;
        }
        if (value instanceof String) {
            try {
                java.time.Instant instant = OffsetDateTime.parse((String) value).toInstant();
                return Math.addExact(
                        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                        instant.getNano() / 1000L);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new IllegalArgumentException(
                        "cannot read '" + value + "' as a timestamp: " + e.getMessage(), e);
            }
        }
        if (value instanceof Number) {
            long v = ((Number) value).longValue();
            if ("io.debezium.time.Timestamp".equals(semantic)) {
                return v * 1000L;
            }
            if ("io.debezium.time.NanoTimestamp".equals(semantic)) {
                return Math.floorDiv(v, 1000L);
            }
            return v; // io.debezium.time.MicroTimestamp
        }
        throw new IllegalArgumentException(
                "cannot store a " + value.getClass().getSimpleName() + " as a timestamp");
    }

    private static ByteBuffer decimal(Object value, String semantic, LogicalTypes.Decimal type) {
        BigDecimal d;
        if (value instanceof BigDecimal) {
            d = (BigDecimal) value;
        } else if (value instanceof Struct && VARIABLE_SCALE_DECIMAL.equals(semantic)) {
            d = variableScaleDecimal((Struct) value);
        } else if (value instanceof String) {
            d = new BigDecimal((String) value);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            d = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger) {
            d = new BigDecimal((BigInteger) value);
        } else {
            throw new IllegalArgumentException(
                    "cannot store a " + value.getClass().getSimpleName() + " as a decimal");
        }
        BigDecimal scaled;
        try {
            scaled = d.setScale(type.getScale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    d.toPlainString() + " has more than " + type.getScale() + " decimal places");
        }
        if (scaled.precision() > type.getPrecision()) {
            throw new IllegalArgumentException(
                    d.toPlainString()
                            + " does not fit decimal("
                            + type.getPrecision()
                            + ", "
                            + type.getScale()
                            + ")");
        }
        return ByteBuffer.wrap(scaled.unscaledValue().toByteArray());
    }

    private static BigDecimal variableScaleDecimal(Struct s) {
        int scale = s.getInt32("scale");
        Object bytes = s.get("value");
        byte[] unscaled =
                bytes instanceof ByteBuffer ? toArray((ByteBuffer) bytes) : (byte[]) bytes;
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    private static byte[] toArray(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    static Schema nonNull(Schema union) {
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        return union;
    }

    private static String describe(Schema type) {
        return type.getLogicalType() != null
                ? type.getType().getName() + "/" + type.getLogicalType().getName()
                : type.getType().getName();
    }
}
