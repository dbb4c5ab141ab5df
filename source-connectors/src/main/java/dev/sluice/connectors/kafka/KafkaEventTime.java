package dev.sluice.connectors.kafka;

import dev.sluice.sdk.EventTime;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.config.ConfigValidationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The {@code eventTime} option of the {@code kafka} source: which value field holds a record's
 * event time, and the watermark settings windows downstream run on.
 *
 * <pre>{@code
 * "eventTime": {"field": "ts", "maxOutOfOrderness": "PT5S", "idleTimeout": "PT30S"}
 * }</pre>
 *
 * {@code field} is required: a long of epoch milliseconds or a timestamp-millis/-micros long,
 * nullable or not. {@code maxOutOfOrderness} (default {@code PT5S}) is how far the watermark trails
 * the largest time seen; {@code idleTimeout} (default {@code PT30S}, {@code PT0S} turns it off) is
 * after how long without records the source stops holding the watermark back. A record without a
 * value or without a time keeps its Kafka timestamp.
 */
final class KafkaEventTime {

    static final String FIELD = "field";
    static final String MAX_OUT_OF_ORDERNESS = "maxOutOfOrderness";
    static final String IDLE_TIMEOUT = "idleTimeout";

    static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private static final Set<String> KEYS = Set.of(FIELD, MAX_OUT_OF_ORDERNESS, IDLE_TIMEOUT);

    private KafkaEventTime() {}

    /**
     * Validates the option against the topic's value schema.
     *
     * @param pointer the JSON pointer of the {@code eventTime} object
     * @throws ConfigValidationException pointing at the key at fault
     */
    static EventTime parse(Map<String, Object> raw, String pointer, String topic, Schema schema) {
        for (String key : raw.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigValidationException(
                        pointer + "/" + key,
                        "unknown key '"
                                + key
                                + "' at "
                                + pointer
                                + "/"
                                + key
                                + "; allowed keys for 'eventTime': "
                                + String.join(", ", new TreeSet<>(KEYS)));
            }
        }
        Object field = raw.get(FIELD);
        String fieldPointer = pointer + "/" + FIELD;
        if (field == null) {
            throw new ConfigValidationException(
                    fieldPointer,
                    "missing required key '"
                            + FIELD
                            + "' in "
                            + pointer
                            + ": the value field that holds the event time");
        }
        if (!(field instanceof String) || ((String) field).isBlank()) {
            throw new ConfigValidationException(
                    fieldPointer,
                    fieldPointer + ": expected the name of a field, got " + render(field));
        }
        Schema.Field f = schema.getField((String) field);
        if (f == null) {
            List<String> names = new ArrayList<>();
            schema.getFields().forEach(x -> names.add(x.name()));
            throw new ConfigValidationException(
                    fieldPointer,
                    "'"
                            + field
                            + "' at "
                            + fieldPointer
                            + " is not a field of topic '"
                            + topic
                            + "'; its fields are: "
                            + String.join(", ", names));
        }
        if (!isTimeType(f.schema())) {
            throw new ConfigValidationException(
                    fieldPointer,
                    "field '"
                            + field
                            + "' of topic '"
                            + topic
                            + "' has type "
                            + describe(f.schema())
                            + "; an event time is a long of epoch milliseconds or a"
                            + " timestamp-millis/timestamp-micros long");
        }
        return new EventTime(
                (String) field,
                duration(raw, MAX_OUT_OF_ORDERNESS, pointer, DEFAULT_MAX_OUT_OF_ORDERNESS),
                duration(raw, IDLE_TIMEOUT, pointer, DEFAULT_IDLE_TIMEOUT));
    }

    private static Duration duration(
            Map<String, Object> raw, String key, String pointer, Duration defaultValue) {
        Object value = raw.get(key);
        if (value == null) {
            return defaultValue;
        }
        String at = pointer + "/" + key;
        if (value instanceof String) {
            try {
                Duration d = Duration.parse((String) value);
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new ConfigValidationException(
                at,
                at
                        + ": expected a non-negative ISO-8601 duration such as \"PT5S\", got "
                        + render(value));
    }

    private static boolean isTimeType(Schema schema) {
        Schema s = schema;
        if (s.getType() == Schema.Type.UNION) {
            Schema single = null;
            for (Schema branch : s.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    if (single != null) {
                        return false;
                    }
                    single = branch;
                }
            }
            if (single == null) {
                return false;
            }
            s = single;
        }
        return s.getType() == Schema.Type.LONG
                && (s.getLogicalType() == null
                        || s.getLogicalType() instanceof LogicalTypes.TimestampMillis
                        || s.getLogicalType() instanceof LogicalTypes.TimestampMicros);
    }

    private static String describe(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            List<String> parts = new ArrayList<>();
            s.getTypes().forEach(t -> parts.add(describe(t)));
            return String.join(" or ", parts);
        }
        String type = s.getType().getName();
        return s.getLogicalType() == null ? type : s.getLogicalType().getName() + " (" + type + ")";
    }

    private static String render(Object v) {
        return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
    }

    /** The watermark strategy of a source with this event time over values of {@code schema}. */
    static WatermarkStrategy<SluiceRecord> watermarks(EventTime eventTime, Schema schema) {
        Schema fieldSchema = schema.getField(eventTime.field()).schema();
        boolean micros = false;
        for (Schema s :
                fieldSchema.getType() == Schema.Type.UNION
                        ? fieldSchema.getTypes()
                        : List.of(fieldSchema)) {
            micros |= s.getLogicalType() instanceof LogicalTypes.TimestampMicros;
        }
        WatermarkStrategy<SluiceRecord> strategy =
                WatermarkStrategy.<SluiceRecord>forBoundedOutOfOrderness(
                                eventTime.maxOutOfOrderness())
                        .withTimestampAssigner(new Assigner(eventTime.field(), micros));
        return eventTime.idleTimeout().isZero()
                ? strategy
                : strategy.withIdleness(eventTime.idleTimeout());
    }

    /** A record's event time: its field in epoch milliseconds, else its Kafka timestamp. */
    static final class Assigner implements SerializableTimestampAssigner<SluiceRecord> {
        private static final long serialVersionUID = 1L;
        private final String field;
        private final boolean micros;

        Assigner(String field, boolean micros) {
            this.field = field;
            this.micros = micros;
        }

        @Override
        public long extractTimestamp(SluiceRecord record, long previous) {
            GenericRecord value = record.value();
            Object time = value == null ? null : value.get(field);
            if (!(time instanceof Number)) {
                return record.timestamp();
            }
            long t = ((Number) time).longValue();
            return micros ? Math.floorDiv(t, 1000L) : t;
        }
    }
}
