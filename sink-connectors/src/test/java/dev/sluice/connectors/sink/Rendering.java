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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Avro records and schemas as text tests compare exactly: fields as {@code name=value} with logical
 * types shown as what they mean (dates, times, instants, decimals), bytes in hex.
 */
public final class Rendering {

    private Rendering() {}

    /** Each field as {@code name type}, e.g. {@code price [null, decimal(10, 2)]}. */
    public static List<String> fields(Schema schema) {
        List<String> out = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            out.add(f.name() + " " + AvroSchemas.describe(f.schema()));
        }
        return out;
    }

    /** A record as {@code name=value, ...} in field order. */
    public static String record(GenericRecord record) {
        StringBuilder sb = new StringBuilder();
        for (Schema.Field f : record.getSchema().getFields()) {
            sb.append(sb.length() == 0 ? "" : ", ")
                    .append(f.name())
                    .append('=')
                    .append(value(record.get(f.pos()), f.schema()));
        }
        return sb.toString();
    }

    /** The records rendered, sorted. */
    public static List<String> sorted(List<GenericRecord> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(record(r)));
        out.sort(null);
        return out;
    }

    static String value(Object value, Schema schema) {
        if (value == null) {
            return "null";
        }
        Schema s = AvroSchemas.nonNull(schema);
        String logical = AvroSchemas.logicalName(s);
        if (AvroSchemas.isDecimal(s)) {
            int scale = ((LogicalTypes.Decimal) s.getLogicalType()).getScale();
            return new BigDecimal(new BigInteger(AvroValues.bytes(value)), scale).toPlainString();
        }
        if ("date".equals(logical)) {
            return LocalDate.ofEpochDay((Integer) value).toString();
        }
        if ("time-micros".equals(logical)) {
            return LocalTime.ofNanoOfDay((Long) value * 1_000L).toString();
        }
        if ("timestamp-micros".equals(logical)) {
            return Instant.EPOCH.plus((Long) value, ChronoUnit.MICROS).toString();
        }
        if ("local-timestamp-micros".equals(logical)) {
            return LocalDateTime.ofInstant(
                            Instant.EPOCH.plus((Long) value, ChronoUnit.MICROS), ZoneOffset.UTC)
                    .toString();
        }
        switch (s.getType()) {
            case BYTES:
                return HexFormat.of().formatHex(AvroValues.bytes(value));
            case FIXED:
                return HexFormat.of().formatHex(((GenericFixed) value).bytes());
            case RECORD:
                return "{" + record((GenericRecord) value) + "}";
            case ARRAY:
                {
                    List<String> items = new ArrayList<>();
                    for (Object item : (List<?>) value) {
                        items.add(value(item, s.getElementType()));
                    }
                    return items.toString();
                }
            case MAP:
                {
                    Map<String, String> entries = new TreeMap<>();
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                        entries.put(e.getKey().toString(), value(e.getValue(), s.getValueType()));
                    }
                    return entries.toString();
                }
            default:
                return value instanceof ByteBuffer ? "?" : value.toString();
        }
    }
}
