package dev.sluice.processors.gate;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One rule of a {@code quality-gate}, validated at plan time against the input schema: what it
 * checks, on which field, with which arguments, and what a failure does. Immutable and
 * Serializable: the planned rules travel to the operators, which compile them into {@link
 * RuleEvaluator}s.
 */
final class QualityRule implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Whether a rule kind reads a field. */
    enum FieldUse {
        REQUIRED,
        OPTIONAL,
        NONE
    }

    /** The rule kinds users write as {@code "rule"}, with the keys each accepts. */
    enum Kind {
        NOT_NULL("not-null", FieldUse.REQUIRED),
        RANGE("range", FieldUse.REQUIRED, "min", "max"),
        REGEX("regex", FieldUse.REQUIRED, "pattern"),
        ENUM("enum", FieldUse.REQUIRED, "values"),
        MAX_BYTES("max-bytes", FieldUse.NONE, "value"),
        FRESHNESS("freshness", FieldUse.OPTIONAL, "maxLagMs"),
        SCHEMA("schema", FieldUse.NONE);

        private final String id;
        private final FieldUse fieldUse;
        private final Set<String> allowedKeys;

        Kind(String id, FieldUse fieldUse, String... args) {
            this.id = id;
            this.fieldUse = fieldUse;
            Set<String> keys = new TreeSet<>(Arrays.asList(args));
            keys.add(QualityRuleParser.RULE);
            keys.add(QualityRuleParser.ACTION);
            if (fieldUse != FieldUse.NONE) {
                keys.add(QualityRuleParser.FIELD);
            }
            this.allowedKeys = Collections.unmodifiableSet(keys);
        }

        /** The name users write, e.g. {@code not-null}. */
        String id() {
            return id;
        }

        /** The kind as prose: {@code a 'range' rule}, {@code an 'enum' rule}. */
        String aRule() {
            return ("aeiou".indexOf(id.charAt(0)) >= 0 ? "an '" : "a '") + id + "' rule";
        }

        FieldUse fieldUse() {
            return fieldUse;
        }

        /** The keys a rule of this kind may have, sorted. */
        Set<String> allowedKeys() {
            return allowedKeys;
        }

        /** The kind named {@code id}, or {@code null}. */
        static Kind of(String id) {
            for (Kind kind : values()) {
                if (kind.id.equals(id)) {
                    return kind;
                }
            }
            return null;
        }

        /** All kinds as users write them, in documentation order. */
        static String ids() {
            List<String> ids = new ArrayList<>();
            for (Kind kind : values()) {
                ids.add(kind.id);
            }
            return String.join(", ", ids);
        }
    }

    /** What a failure does. */
    enum Action {
        /** The record goes to the dead-letter topic and not downstream. */
        DEAD_LETTER("dead-letter"),
        /** The failure is counted and the record continues. */
        ALERT("alert");

        private final String id;

        Action(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        /** The action named {@code id}, or {@code null}. */
        static Action of(String id) {
            for (Action action : values()) {
                if (action.id.equals(id)) {
                    return action;
                }
            }
            return null;
        }
    }

    private final int index;
    private final Kind kind;
    private final Action action;
    private final String field;
    private final BigDecimal min;
    private final BigDecimal max;
    private final String pattern;
    private final List<String> values;
    private final int maxBytes;
    private final long maxLagMs;

    private QualityRule(
            int index,
            Kind kind,
            Action action,
            String field,
            BigDecimal min,
            BigDecimal max,
            String pattern,
            List<String> values,
            int maxBytes,
            long maxLagMs) {
        this.index = index;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.action = Objects.requireNonNull(action, "action");
        this.field = field;
        this.min = min;
        this.max = max;
        this.pattern = pattern;
        this.values = values == null ? null : List.copyOf(values);
        this.maxBytes = maxBytes;
        this.maxLagMs = maxLagMs;
    }

    static QualityRule notNull(int index, Action action, String field) {
        return new QualityRule(index, Kind.NOT_NULL, action, field, null, null, null, null, 0, 0L);
    }

    static QualityRule range(
            int index, Action action, String field, BigDecimal min, BigDecimal max) {
        return new QualityRule(index, Kind.RANGE, action, field, min, max, null, null, 0, 0L);
    }

    static QualityRule regex(int index, Action action, String field, String pattern) {
        return new QualityRule(index, Kind.REGEX, action, field, null, null, pattern, null, 0, 0L);
    }

    static QualityRule oneOf(int index, Action action, String field, List<String> values) {
        return new QualityRule(index, Kind.ENUM, action, field, null, null, null, values, 0, 0L);
    }

    static QualityRule maxBytes(int index, Action action, int maxBytes) {
        return new QualityRule(
                index, Kind.MAX_BYTES, action, null, null, null, null, null, maxBytes, 0L);
    }

    /** A freshness rule on {@code field}, or on the record timestamp when it is {@code null}. */
    static QualityRule freshness(int index, Action action, String field, long maxLagMs) {
        return new QualityRule(
                index, Kind.FRESHNESS, action, field, null, null, null, null, 0, maxLagMs);
    }

    static QualityRule schema(int index, Action action) {
        return new QualityRule(index, Kind.SCHEMA, action, null, null, null, null, null, 0, 0L);
    }

    /** The rule's position in {@code rules}, from 0. */
    int index() {
        return index;
    }

    Kind kind() {
        return kind;
    }

    Action action() {
        return action;
    }

    /** The checked field, or {@code null} for rules about the whole record. */
    String field() {
        return field;
    }

    /** The inclusive lower bound of a range rule, or {@code null}. */
    BigDecimal min() {
        return min;
    }

    /** The inclusive upper bound of a range rule, or {@code null}. */
    BigDecimal max() {
        return max;
    }

    String pattern() {
        return pattern;
    }

    List<String> values() {
        return values;
    }

    int maxBytes() {
        return maxBytes;
    }

    long maxLagMs() {
        return maxLagMs;
    }

    /** The name of the counter of this rule's failures, e.g. {@code rule_0_not_null_failed}. */
    String metricName() {
        return "rule_" + index + "_" + kind.id().replace('-', '_') + "_failed";
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof QualityRule)) {
            return false;
        }
        QualityRule that = (QualityRule) o;
        return index == that.index
                && maxBytes == that.maxBytes
                && maxLagMs == that.maxLagMs
                && kind == that.kind
                && action == that.action
                && Objects.equals(field, that.field)
                && Objects.equals(min, that.min)
                && Objects.equals(max, that.max)
                && Objects.equals(pattern, that.pattern)
                && Objects.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, kind, action, field);
    }

    @Override
    public String toString() {
        return "rule "
                + index
                + " ("
                + kind.id()
                + (field == null ? "" : " on '" + field + "'")
                + ", "
                + action.id()
                + ")";
    }
}
