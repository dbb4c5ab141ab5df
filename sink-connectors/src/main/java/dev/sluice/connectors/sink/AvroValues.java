package dev.sluice.connectors.sink;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;

/**
 * Avro values as plain Java values. A record's values may come raw (a {@code long} for a
 * timestamp-millis, a {@link ByteBuffer} for a decimal) or already converted (an {@link Instant}, a
 * {@link BigDecimal}) depending on who built the record; sinks accept both.
 */
public final class AvroValues {

    private AvroValues() {}

    /** Strings, enum symbols, UUIDs as text. */
    public static String text(Object value) {
        return value.toString();
    }

    /** {@code bytes} and {@code fixed} as a fresh array. */
    public static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer) {
            ByteBuffer b = ((ByteBuffer) value).duplicate();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }
        if (value instanceof GenericFixed) {
            return ((GenericFixed) value).bytes().clone();
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).clone();
        }
        throw unexpected("bytes", value);
    }

    /** A {@code decimal} ({@code bytes} or {@code fixed}) of {@code schema}. */
    public static BigDecimal decimal(Object value, Schema schema) {
        if (value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        int scale = ((LogicalTypes.Decimal) schema.getLogicalType()).getScale();
        return new BigDecimal(new BigInteger(bytes(value)), scale);
    }

    /** A {@code date}: days since the epoch. */
    public static LocalDate date(Object value) {
        if (value instanceof LocalDate) {
            return (LocalDate) value;
        }
        if (value instanceof Integer) {
            return LocalDate.ofEpochDay((Integer) value);
        }
        throw unexpected("date", value);
    }

    /** A {@code time-millis} or {@code time-micros} of {@code schema}. */
    public static LocalTime time(Object value, Schema schema) {
        if (value instanceof LocalTime) {
            return (LocalTime) value;
        }
        if (value instanceof Integer) {
            return LocalTime.ofNanoOfDay(((Integer) value) * 1_000_000L);
        }
        if (value instanceof Long) {
            boolean micros = "time-micros".equals(AvroSchemas.logicalName(schema));
            long v = (Long) value;
            return LocalTime.ofNanoOfDay(micros ? v * 1_000L : v * 1_000_000L);
        }
        throw unexpected("time", value);
    }

    /** A {@code timestamp-millis}/{@code -micros}: an instant. */
    public static Instant instant(Object value, Schema schema) {
        if (value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof Long) {
            long v = (Long) value;
            return isMicros(schema)
                    ? Instant.EPOCH.plus(v, ChronoUnit.MICROS)
                    : Instant.ofEpochMilli(v);
        }
        throw unexpected("timestamp", value);
    }

    /** A {@code local-timestamp-millis}/{@code -micros}: a wall-clock date and time. */
    public static LocalDateTime localDateTime(Object value, Schema schema) {
        if (value instanceof LocalDateTime) {
            return (LocalDateTime) value;
        }
        if (value instanceof Long) {
            Instant i = instant(value, schema);
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        throw unexpected("local timestamp", value);
    }

    /** Whether a timestamp or time schema counts microseconds. */
    public static boolean isMicros(Schema schema) {
        String name = AvroSchemas.logicalName(schema);
        return name != null && name.endsWith("-micros");
    }

    /** Whether the logical type is an instant ({@code timestamp-*}). */
    public static boolean isInstant(Schema schema) {
        String name = AvroSchemas.logicalName(schema);
        return "timestamp-millis".equals(name) || "timestamp-micros".equals(name);
    }

    /** Whether the logical type is a wall-clock timestamp ({@code local-timestamp-*}). */
    public static boolean isLocalTimestamp(Schema schema) {
        String name = AvroSchemas.logicalName(schema);
        return "local-timestamp-millis".equals(name) || "local-timestamp-micros".equals(name);
    }

    private static IllegalArgumentException unexpected(String what, Object value) {
        return new IllegalArgumentException(
                "expected a " + what + " value, got " + value.getClass().getName());
    }
}
