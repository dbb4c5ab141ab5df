package dev.sluice.processors.gate;

import dev.sluice.processors.gate.QualityRule.Action;
import dev.sluice.processors.gate.QualityRule.FieldUse;
import dev.sluice.processors.gate.QualityRule.Kind;
import dev.sluice.schemas.AvroSchemas;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Turns the raw {@code rules} array of a {@code quality-gate} config into validated {@link
 * QualityRule}s, checking each against the input schema. Every error is a {@link
 * ConfigValidationException} whose pointer names the exact rule and key at fault (e.g. {@code
 * /processors/0/config/rules/1/pattern}) and whose message says what is allowed there, so a bad
 * gate is refused before it runs.
 */
final class QualityRuleParser {

    static final String RULE = "rule";
    static final String ACTION = "action";
    static final String FIELD = "field";
    static final String MIN = "min";
    static final String MAX = "max";
    static final String PATTERN = "pattern";
    static final String VALUES = "values";
    static final String VALUE = "value";
    static final String MAX_LAG_MS = "maxLagMs";

    private QualityRuleParser() {}

    /**
     * Validates the rules.
     *
     * @param raw the {@code rules} array as plain Java values (maps, lists, strings, numbers)
     * @param pointer the JSON pointer of the array, e.g. {@code /processors/0/config/rules}
     * @param input the processor's input
     * @throws ConfigValidationException at the first rule or key at fault
     */
    static List<QualityRule> parse(List<?> raw, String pointer, StreamDescriptor input) {
        if (raw.isEmpty()) {
            throw new ConfigValidationException(
                    pointer, pointer + ": name at least one rule; rule kinds: " + Kind.ids());
        }
        List<QualityRule> rules = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            rules.add(parseRule(i, raw.get(i), pointer + "/" + i, input));
        }
        return List.copyOf(rules);
    }

    private static QualityRule parseRule(
            int index, Object raw, String pointer, StreamDescriptor input) {
        if (!(raw instanceof Map)) {
            throw new ConfigValidationException(
                    pointer,
                    pointer
                            + ": expected a rule object such as {\"rule\": \"not-null\", \"field\":"
                            + " \"...\"}, got "
                            + Texts.value(raw));
        }
        Map<String, Object> rule = new LinkedHashMap<>();
        ((Map<?, ?>) raw).forEach((k, v) -> rule.put(String.valueOf(k), v));

        Kind kind = parseKind(rule.get(RULE), pointer);
        for (String key : rule.keySet()) {
            if (!kind.allowedKeys().contains(key)) {
                String at = pointer + "/" + NodeOptions.escape(key);
                throw new ConfigValidationException(
                        at,
                        "unknown key '"
                                + key
                                + "' at "
                                + at
                                + "; allowed keys for "
                                + kind.aRule()
                                + ": "
                                + String.join(", ", kind.allowedKeys()));
            }
        }
        Action action = parseAction(rule.get(ACTION), pointer + "/" + ACTION);
        Schema.Field field = parseField(kind, rule.get(FIELD), pointer, input);
        String fieldName = field == null ? null : field.name();

        switch (kind) {
            case NOT_NULL:
                return QualityRule.notNull(index, action, fieldName);
            case RANGE:
                return parseRange(index, action, fieldName, rule, pointer);
            case REGEX:
                return QualityRule.regex(
                        index, action, fieldName, parsePattern(rule.get(PATTERN), pointer));
            case ENUM:
                return QualityRule.oneOf(
                        index, action, fieldName, parseValues(rule.get(VALUES), pointer, field));
            case MAX_BYTES:
                return QualityRule.maxBytes(index, action, parseMaxBytes(rule.get(VALUE), pointer));
            case FRESHNESS:
                return QualityRule.freshness(
                        index, action, fieldName, parseMaxLag(rule.get(MAX_LAG_MS), pointer));
            case SCHEMA:
                return QualityRule.schema(index, action);
            default:
                throw new IllegalStateException("unhandled rule kind " + kind);
        }
    }

    private static Kind parseKind(Object raw, String pointer) {
        String at = pointer + "/" + RULE;
        if (raw == null) {
            throw new ConfigValidationException(
                    at, "missing required key 'rule' in " + pointer + "; one of: " + Kind.ids());
        }
        Kind kind = raw instanceof String ? Kind.of((String) raw) : null;
        if (kind == null) {
            throw new ConfigValidationException(
                    at,
                    "unknown rule "
                            + Texts.value(raw)
                            + " at "
                            + at
                            + "; allowed rules: "
                            + Kind.ids());
        }
        return kind;
    }

    private static Action parseAction(Object raw, String at) {
        if (raw == null) {
            return Action.DEAD_LETTER;
        }
        Action action = raw instanceof String ? Action.of((String) raw) : null;
        if (action == null) {
            throw new ConfigValidationException(
                    at,
                    at
                            + ": expected one of "
                            + Action.DEAD_LETTER.id()
                            + ", "
                            + Action.ALERT.id()
                            + ", got "
                            + Texts.value(raw));
        }
        return action;
    }

    private static Schema.Field parseField(
            Kind kind, Object raw, String pointer, StreamDescriptor input) {
        String at = pointer + "/" + FIELD;
        Schema schema = input.schema();
        if (raw == null) {
            if (kind.fieldUse() == FieldUse.REQUIRED) {
                throw missing(
                        pointer,
                        FIELD,
                        kind,
                        "the field to check; fields of input '"
                                + input.nodeId()
                                + "': "
                                + Texts.fieldNames(schema));
            }
            return null;
        }
        if (!(raw instanceof String)) {
            throw new ConfigValidationException(
                    at, at + ": expected a field name (a string), got " + Texts.value(raw));
        }
        String name = (String) raw;
        Schema.Field field = schema.getField(name);
        if (field == null) {
            throw new ConfigValidationException(
                    at,
                    "unknown field '"
                            + name
                            + "' at "
                            + at
                            + "; fields of input '"
                            + input.nodeId()
                            + "': "
                            + Texts.fieldNames(schema));
        }
        String needed = neededType(kind, field.schema());
        if (needed != null) {
            throw new ConfigValidationException(
                    at,
                    "field '"
                            + name
                            + "' at "
                            + at
                            + " has type "
                            + Texts.type(field.schema())
                            + "; "
                            + kind.aRule()
                            + " needs a field of type "
                            + needed);
        }
        return field;
    }

    /** {@code null} if a field of this schema suits the rule, else the types it needs. */
    private static String neededType(Kind kind, Schema fieldSchema) {
        Schema t = AvroSchemas.nonNull(fieldSchema);
        switch (kind) {
            case RANGE:
                switch (t.getType()) {
                    case INT:
                    case LONG:
                    case FLOAT:
                    case DOUBLE:
                        return null;
                    default:
                        return "int, long, float or double";
                }
            case REGEX:
                return t.getType() == Schema.Type.STRING ? null : "string";
            case ENUM:
                return t.getType() == Schema.Type.STRING || t.getType() == Schema.Type.ENUM
                        ? null
                        : "string or enum";
            case FRESHNESS:
                return t.getType() == Schema.Type.LONG
                                && (t.getLogicalType() == null
                                        || t.getLogicalType()
                                                instanceof LogicalTypes.TimestampMillis)
                        ? null
                        : "long or timestamp-millis (epoch milliseconds)";
            default:
                return null;
        }
    }

    private static QualityRule parseRange(
            int index, Action action, String field, Map<String, Object> rule, String pointer) {
        BigDecimal min = parseBound(rule.get(MIN), pointer + "/" + MIN);
        BigDecimal max = parseBound(rule.get(MAX), pointer + "/" + MAX);
        if (min == null && max == null) {
            throw new ConfigValidationException(
                    pointer + "/" + MIN,
                    "missing key 'min' or 'max' in "
                            + pointer
                            + " ('range' rule: at least one inclusive bound, a number)");
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
            String at = pointer + "/" + MAX;
            throw new ConfigValidationException(
                    at,
                    at + ": max " + max.toPlainString() + " is below min " + min.toPlainString());
        }
        return QualityRule.range(index, action, field, min, max);
    }

    private static BigDecimal parseBound(Object raw, String at) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Integer
                || raw instanceof Long
                || raw instanceof Short
                || raw instanceof Byte) {
            return BigDecimal.valueOf(((Number) raw).longValue());
        }
        if (raw instanceof BigInteger) {
            return new BigDecimal((BigInteger) raw);
        }
        if (raw instanceof BigDecimal) {
            return (BigDecimal) raw;
        }
        if ((raw instanceof Double || raw instanceof Float)
                && Double.isFinite(((Number) raw).doubleValue())) {
            return BigDecimal.valueOf(((Number) raw).doubleValue());
        }
        throw new ConfigValidationException(
                at, at + ": expected a number, got " + Texts.value(raw));
    }

    private static String parsePattern(Object raw, String pointer) {
        String at = pointer + "/" + PATTERN;
        if (raw == null) {
            throw missing(
                    pointer,
                    PATTERN,
                    Kind.REGEX,
                    "a Java regular expression the whole value must match");
        }
        if (!(raw instanceof String)) {
            throw new ConfigValidationException(
                    at, at + ": expected a string, got " + Texts.value(raw));
        }
        try {
            Pattern.compile((String) raw);
        } catch (PatternSyntaxException e) {
            throw new ConfigValidationException(
                    at,
                    at
                            + ": invalid regular expression: "
                            + e.getDescription()
                            + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""),
                    e);
        }
        return (String) raw;
    }

    private static List<String> parseValues(Object raw, String pointer, Schema.Field field) {
        String at = pointer + "/" + VALUES;
        if (raw == null) {
            throw missing(pointer, VALUES, Kind.ENUM, "the allowed values, an array of strings");
        }
        boolean ok = raw instanceof List && !((List<?>) raw).isEmpty();
        if (ok) {
            for (Object v : (List<?>) raw) {
                ok &= v instanceof String;
            }
        }
        if (!ok) {
            throw new ConfigValidationException(
                    at, at + ": expected a non-empty array of strings, got " + Texts.value(raw));
        }
        List<String> values = new ArrayList<>();
        for (Object v : (List<?>) raw) {
            values.add((String) v);
        }
        Schema type = AvroSchemas.nonNull(field.schema());
        if (type.getType() == Schema.Type.ENUM) {
            for (int i = 0; i < values.size(); i++) {
                if (!type.hasEnumSymbol(values.get(i))) {
                    throw new ConfigValidationException(
                            at + "/" + i,
                            at
                                    + "/"
                                    + i
                                    + ": '"
                                    + values.get(i)
                                    + "' is not a symbol of enum "
                                    + type.getFullName()
                                    + " (field '"
                                    + field.name()
                                    + "'): "
                                    + String.join(", ", type.getEnumSymbols()));
                }
            }
        }
        return values;
    }

    private static int parseMaxBytes(Object raw, String pointer) {
        String at = pointer + "/" + VALUE;
        if (raw == null) {
            throw missing(
                    pointer, VALUE, Kind.MAX_BYTES, "the largest allowed record size in bytes");
        }
        Long v = integral(raw);
        if (v == null || v < 1 || v > Integer.MAX_VALUE) {
            throw new ConfigValidationException(
                    at,
                    at
                            + ": expected a positive integer (bytes, at most "
                            + Integer.MAX_VALUE
                            + "), got "
                            + Texts.value(raw));
        }
        return v.intValue();
    }

    private static long parseMaxLag(Object raw, String pointer) {
        String at = pointer + "/" + MAX_LAG_MS;
        if (raw == null) {
            throw missing(
                    pointer,
                    MAX_LAG_MS,
                    Kind.FRESHNESS,
                    "how old, in milliseconds, a record's event time may be");
        }
        Long v = integral(raw);
        if (v == null || v < 1) {
            throw new ConfigValidationException(
                    at,
                    at + ": expected a positive integer (milliseconds), got " + Texts.value(raw));
        }
        return v;
    }

    /** A JSON integer as a long, or {@code null} if {@code raw} is not one or is out of range. */
    private static Long integral(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof BigInteger && ((BigInteger) raw).bitLength() < 64) {
            return ((BigInteger) raw).longValue();
        }
        return null;
    }

    private static ConfigValidationException missing(
            String pointer, String key, Kind kind, String what) {
        return new ConfigValidationException(
                pointer + "/" + key,
                "missing required key '"
                        + key
                        + "' in "
                        + pointer
                        + " ('"
                        + kind.id()
                        + "' rule: "
                        + what
                        + ")");
    }
}
