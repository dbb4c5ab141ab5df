package dev.sluice.processors.gate;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.sdk.SluiceRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * A {@link QualityRule} compiled for one operator instance: field positions resolved, patterns
 * compiled, bounds converted to the field's type, so checking a record does no name lookups and
 * allocates nothing unless it fails. Not thread-safe (the max-bytes check reuses its encoder); each
 * operator instance compiles its own.
 */
abstract class RuleEvaluator {

    private final QualityRule rule;

    private RuleEvaluator(QualityRule rule) {
        this.rule = rule;
    }

    /** The rule this evaluator checks. */
    final QualityRule rule() {
        return rule;
    }

    /**
     * Checks one record with a value.
     *
     * @return {@code null} when the record passes; otherwise why it fails, e.g. {@code field
     *     'amount' = -5.0 is below min 0}
     */
    abstract String violation(SluiceRecord record);

    /** The full message of a failure: {@code rule 1 (range) failed: <violation>}. */
    final String message(String violation) {
        return "rule " + rule.index() + " (" + rule.kind().id() + ") failed: " + violation;
    }

    /**
     * Compiles {@code rule} against the input schema.
     *
     * @throws IllegalStateException if the rule's field is not in {@code schema} (planning checked
     *     it, so this means the rule and schema do not belong together)
     */
    static RuleEvaluator compile(QualityRule rule, Schema schema, WallClock clock) {
        switch (rule.kind()) {
            case NOT_NULL:
                return new NotNull(rule, position(rule, schema));
            case RANGE:
                int pos = position(rule, schema);
                Schema.Type type =
                        AvroSchemas.nonNull(schema.getFields().get(pos).schema()).getType();
                return type == Schema.Type.INT || type == Schema.Type.LONG
                        ? new IntegralRange(rule, pos)
                        : new FloatingRange(rule, pos);
            case REGEX:
                return new Regex(rule, position(rule, schema));
            case ENUM:
                return new OneOf(rule, position(rule, schema));
            case MAX_BYTES:
                return new MaxBytes(rule, schema);
            case FRESHNESS:
                return new Freshness(
                        rule, rule.field() == null ? -1 : position(rule, schema), clock);
            case SCHEMA:
                return new Conformance(rule, schema);
            default:
                throw new IllegalStateException("unhandled rule kind " + rule.kind());
        }
    }

    private static int position(QualityRule rule, Schema schema) {
        Schema.Field field = schema.getField(rule.field());
        if (field == null) {
            throw new IllegalStateException(
                    rule + " names field '" + rule.field() + "', which " + schema + " lacks");
        }
        return field.pos();
    }

    private static String isNull(String field) {
        return "field '" + field + "' is null";
    }

    private static String is(String field, Object value) {
        return "field '" + field + "' = " + Texts.value(value);
    }

    /** {@code not-null}: the field has a value. */
    private static final class NotNull extends RuleEvaluator {
        private final int pos;

        NotNull(QualityRule rule, int pos) {
            super(rule);
            this.pos = pos;
        }

        @Override
        String violation(SluiceRecord record) {
            return record.value().get(pos) == null ? isNull(rule().field()) : null;
        }
    }

    /** {@code range} on an int or long field, compared as longs. */
    private static final class IntegralRange extends RuleEvaluator {
        private final int pos;
        private final boolean hasMin;
        private final boolean hasMax;
        private final long min;
        private final long max;
        // A bound beyond the long range: nothing (min) or everything (max) satisfies it.
        private final boolean minUnreachable;
        private final boolean maxUnreachable;

        IntegralRange(QualityRule rule, int pos) {
            super(rule);
            this.pos = pos;
            BigDecimal longMin = BigDecimal.valueOf(Long.MIN_VALUE);
            BigDecimal longMax = BigDecimal.valueOf(Long.MAX_VALUE);
            // x >= 0.5 holds for integers exactly when x >= 1, x <= 9.5 when x <= 9.
            BigDecimal lo =
                    rule.min() == null ? null : rule.min().setScale(0, RoundingMode.CEILING);
            BigDecimal hi = rule.max() == null ? null : rule.max().setScale(0, RoundingMode.FLOOR);
            this.minUnreachable = lo != null && lo.compareTo(longMax) > 0;
            this.maxUnreachable = hi != null && hi.compareTo(longMin) < 0;
            this.hasMin = lo != null && !minUnreachable && lo.compareTo(longMin) > 0;
            this.hasMax = hi != null && !maxUnreachable && hi.compareTo(longMax) < 0;
            this.min = hasMin ? lo.longValueExact() : Long.MIN_VALUE;
            this.max = hasMax ? hi.longValueExact() : Long.MAX_VALUE;
        }

        @Override
        String violation(SluiceRecord record) {
            Object v = record.value().get(pos);
            if (v == null) {
                return isNull(rule().field());
            }
            if (!(v instanceof Number)) {
                return is(rule().field(), v) + " is not a number";
            }
            long x = ((Number) v).longValue();
            if (minUnreachable || (hasMin && x < min)) {
                return is(rule().field(), v) + " is below min " + rule().min().toPlainString();
            }
            if (maxUnreachable || (hasMax && x > max)) {
                return is(rule().field(), v) + " is above max " + rule().max().toPlainString();
            }
            return null;
        }
    }

    /** {@code range} on a float or double field, compared as doubles; NaN fails. */
    private static final class FloatingRange extends RuleEvaluator {
        private final int pos;
        private final double min;
        private final double max;

        FloatingRange(QualityRule rule, int pos) {
            super(rule);
            this.pos = pos;
            this.min = rule.min() == null ? Double.NEGATIVE_INFINITY : rule.min().doubleValue();
            this.max = rule.max() == null ? Double.POSITIVE_INFINITY : rule.max().doubleValue();
        }

        @Override
        String violation(SluiceRecord record) {
            Object v = record.value().get(pos);
            if (v == null) {
                return isNull(rule().field());
            }
            if (!(v instanceof Number) || Double.isNaN(((Number) v).doubleValue())) {
                return is(rule().field(), v) + " is not a number";
            }
            double x = ((Number) v).doubleValue();
            if (x < min) {
                return is(rule().field(), v) + " is below min " + rule().min().toPlainString();
            }
            if (x > max) {
                return is(rule().field(), v) + " is above max " + rule().max().toPlainString();
            }
            return null;
        }
    }

    /** {@code regex}: the whole string matches. */
    private static final class Regex extends RuleEvaluator {
        private final int pos;
        private final Pattern pattern;

        Regex(QualityRule rule, int pos) {
            super(rule);
            this.pos = pos;
            this.pattern = Pattern.compile(rule.pattern());
        }

        @Override
        String violation(SluiceRecord record) {
            Object v = record.value().get(pos);
            if (v == null) {
                return isNull(rule().field());
            }
            // Utf8's CharSequence length counts bytes; match on the decoded String.
            if (pattern.matcher(v.toString()).matches()) {
                return null;
            }
            return is(rule().field(), v) + " does not match " + rule().pattern();
        }
    }

    /** {@code enum}: the string or enum symbol is one of the listed values. */
    private static final class OneOf extends RuleEvaluator {
        private final int pos;
        private final Set<String> allowed;

        OneOf(QualityRule rule, int pos) {
            super(rule);
            this.pos = pos;
            this.allowed = new HashSet<>(rule.values());
        }

        @Override
        String violation(SluiceRecord record) {
            Object v = record.value().get(pos);
            if (v == null) {
                return isNull(rule().field());
            }
            if (allowed.contains(v.toString())) {
                return null;
            }
            return is(rule().field(), v) + " is not one of " + rule().values();
        }
    }

    /**
     * {@code max-bytes}: the record's size as read from the source, or, for a record without source
     * bytes, its value's Avro binary encoding.
     */
    private static final class MaxBytes extends RuleEvaluator {
        private final GenericDatumWriter<GenericRecord> writer;
        private final CountingStream counter = new CountingStream();
        private BinaryEncoder encoder;

        MaxBytes(QualityRule rule, Schema schema) {
            super(rule);
            this.writer = new GenericDatumWriter<>(schema);
        }

        @Override
        String violation(SluiceRecord record) {
            byte[] source = record.sourceValue();
            long size = source != null ? source.length : encodedSize(record.value());
            if (size <= rule().maxBytes()) {
                return null;
            }
            return (source != null ? "source value is " : "encoded value is ")
                    + size
                    + " bytes, over max "
                    + rule().maxBytes();
        }

        private long encodedSize(GenericRecord value) {
            counter.count = 0;
            encoder = EncoderFactory.get().directBinaryEncoder(counter, encoder);
            try {
                writer.write(value, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return counter.count;
        }
    }

    /** Counts what is written to it and keeps nothing. */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** {@code freshness}: the event time (a field, or the record timestamp) is recent enough. */
    private static final class Freshness extends RuleEvaluator {
        private final int pos;
        private final WallClock clock;

        Freshness(QualityRule rule, int pos, WallClock clock) {
            super(rule);
            this.pos = pos;
            this.clock = clock;
        }

        @Override
        String violation(SluiceRecord record) {
            long eventTime;
            if (pos < 0) {
                eventTime = record.timestamp();
            } else {
                Object v = record.value().get(pos);
                if (v == null) {
                    return isNull(rule().field());
                }
                eventTime =
                        v instanceof Instant
                                ? ((Instant) v).toEpochMilli()
                                : ((Number) v).longValue();
            }
            long now = clock.nowMillis();
            if (eventTime >= now - rule().maxLagMs()) {
                return null;
            }
            long age;
            try {
                age = Math.subtractExact(now, eventTime);
            } catch (ArithmeticException e) {
                age = Long.MAX_VALUE;
            }
            return (pos < 0 ? "record timestamp " + eventTime : is(rule().field(), eventTime))
                    + " is "
                    + age
                    + " ms old, over maxLagMs "
                    + rule().maxLagMs();
        }
    }

    /** {@code schema}: the value conforms to the input schema. */
    private static final class Conformance extends RuleEvaluator {
        private final Schema schema;

        Conformance(QualityRule rule, Schema schema) {
            super(rule);
            this.schema = schema;
        }

        @Override
        String violation(SluiceRecord record) {
            GenericRecord value = record.value();
            if (valid(schema, value)) {
                return null;
            }
            if (value.getSchema().getFields().size() == schema.getFields().size()) {
                for (Schema.Field f : schema.getFields()) {
                    Object v = value.get(f.pos());
                    if (!valid(f.schema(), v)) {
                        return is(f.name(), v) + " is not a valid " + Texts.type(f.schema());
                    }
                }
            }
            return "value does not conform to the input schema " + schema.getFullName();
        }

        private static boolean valid(Schema schema, Object value) {
            try {
                return GenericData.get().validate(schema, value);
            } catch (RuntimeException e) {
                // A record of another shape (e.g. fewer fields) can fail inside validate.
                return false;
            }
        }
    }
}
