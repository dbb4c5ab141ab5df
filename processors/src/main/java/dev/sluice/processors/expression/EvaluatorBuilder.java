package dev.sluice.processors.expression;

import dev.sluice.processors.expression.Node.Call;
import dev.sluice.processors.expression.Node.FieldRef;
import dev.sluice.processors.expression.Node.Literal;
import dev.sluice.processors.expression.Node.Op;
import dev.sluice.processors.expression.Node.TrimMode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;

/**
 * Compiles a typed {@link Node} tree into a tree of {@link Evaluator} closures, once. Field
 * positions, comparators, arithmetic, LIKE patterns and IN sets are all chosen here, so evaluating
 * a record does no name lookups, type dispatch, reflection or pattern compilation.
 *
 * <p>Semantics are SQL's three-valued logic: {@code null} is UNKNOWN/NULL, most operators return
 * NULL when an operand is NULL, {@code AND}/{@code OR} short-circuit ({@code FALSE AND x} is FALSE
 * without evaluating x). Failures (division by zero, overflow, bad casts) throw {@link
 * ExpressionEvaluationException} naming the failing part and the whole expression.
 */
final class EvaluatorBuilder {

    private static final Boolean TRUE = Boolean.TRUE;
    private static final Boolean FALSE = Boolean.FALSE;

    private final String expression;

    EvaluatorBuilder(String expression) {
        this.expression = expression;
    }

    /**
     * The evaluator of a whole expression, producing Avro's generic representation: a field
     * reference passes the field's value through unchanged (Utf8, enum symbols, logical types as
     * stored); DECIMAL results become {@code bytes}.
     */
    Evaluator buildRoot(Node root) {
        if (root instanceof FieldRef) {
            return raw((FieldRef) root);
        }
        Evaluator evaluator = build(root);
        if (root.type().kind() == SqlType.Kind.DECIMAL) {
            int scale = root.type().scale();
            return r -> {
                Object v = evaluator.eval(r);
                return v == null
                        ? null
                        : AvroTypes.toBytes(((BigDecimal) v).setScale(scale, RoundingMode.HALF_UP));
            };
        }
        return evaluator;
    }

    Evaluator build(Node node) {
        if (node instanceof FieldRef) {
            return field((FieldRef) node);
        }
        if (node instanceof Literal) {
            Object value = ((Literal) node).value();
            return r -> value;
        }
        Call call = (Call) node;
        switch (call.op()) {
            case AND:
                return and(build(arg(call, 0)), build(arg(call, 1)));
            case OR:
                return or(build(arg(call, 0)), build(arg(call, 1)));
            case NOT:
                return not(build(arg(call, 0)));
            case IS_NULL:
                return isNull(arg(call, 0), true);
            case IS_NOT_NULL:
                return isNull(arg(call, 0), false);
            case IS_TRUE:
                {
                    Evaluator e = build(arg(call, 0));
                    return r -> e.eval(r) == TRUE ? TRUE : FALSE;
                }
            case IS_NOT_TRUE:
                {
                    Evaluator e = build(arg(call, 0));
                    return r -> e.eval(r) != TRUE ? TRUE : FALSE;
                }
            case IS_FALSE:
                {
                    Evaluator e = build(arg(call, 0));
                    return r -> e.eval(r) == FALSE ? TRUE : FALSE;
                }
            case IS_NOT_FALSE:
                {
                    Evaluator e = build(arg(call, 0));
                    return r -> e.eval(r) != FALSE ? TRUE : FALSE;
                }
            case IS_DISTINCT_FROM:
                return distinct(call, true);
            case IS_NOT_DISTINCT_FROM:
                return distinct(call, false);
            case EQ:
            case NE:
            case LT:
            case LE:
            case GT:
            case GE:
                return comparison(call);
            case PLUS:
            case MINUS:
            case TIMES:
            case DIVIDE:
            case MOD:
                return binary(call, arithmetic(call.op(), call.type()));
            case NEGATE:
                return unary(call, negation(call.type()));
            case IN:
                return in(call);
            case LIKE:
                return like(call);
            case CASE:
                return caseWhen(call);
            case CAST:
                {
                    Integer maxLength = (Integer) call.param();
                    Casts.Converter converter =
                            Casts.converter(arg(call, 0).type(), call.type(), maxLength);
                    return unary(call, converter::convert);
                }
            case COALESCE:
                return coalesce(call);
            case CONCAT:
                return concat(call);
            case UPPER:
                return unary(call, v -> ((String) v).toUpperCase(Locale.ROOT));
            case LOWER:
                return unary(call, v -> ((String) v).toLowerCase(Locale.ROOT));
            case TRIM:
                {
                    TrimMode mode = (TrimMode) call.param();
                    return binary(
                            call,
                            (chars, s) -> SqlFunctions.trim((String) s, (String) chars, mode));
                }
            case CHAR_LENGTH:
                return unary(call, v -> SqlFunctions.charLength((String) v));
            case SUBSTRING:
                return substring(call);
            case ABS:
                return unary(call, abs(call.type()));
            case ROUND:
                return unary(call, round(arg(call, 0).type(), call.type(), (Integer) call.param()));
            case FLOOR:
                return unary(call, floorCeil(arg(call, 0).type(), call.type(), true));
            case CEIL:
                return unary(call, floorCeil(arg(call, 0).type(), call.type(), false));
            default:
                throw new IllegalStateException("no evaluator for " + call.op());
        }
    }

    private static Node arg(Call call, int index) {
        return call.args().get(index);
    }

    // ---- fields ----------------------------------------------------------------------------

    /** Reads the field's raw Avro value through its path of positions. */
    private static Evaluator raw(FieldRef field) {
        int[] positions = field.positions();
        if (positions.length == 1) {
            int p0 = positions[0];
            return r -> r.get(p0);
        }
        if (positions.length == 2) {
            int p0 = positions[0];
            int p1 = positions[1];
            return r -> {
                Object parent = r.get(p0);
                return parent == null ? null : ((GenericRecord) parent).get(p1);
            };
        }
        return r -> {
            Object value = r;
            for (int position : positions) {
                if (value == null) {
                    return null;
                }
                value = ((GenericRecord) value).get(position);
            }
            return value;
        };
    }

    /** Reads the field in the representation of its SQL type. */
    private static Evaluator field(FieldRef field) {
        Evaluator raw = raw(field);
        int[] positions = field.positions();
        boolean single = positions.length == 1;
        int p0 = positions[0];
        switch (field.type().kind()) {
            case STRING:
                // Utf8, String and enum symbols all render as the string itself (Utf8 caches it).
                if (single) {
                    return r -> {
                        Object v = r.get(p0);
                        return v == null ? null : v.toString();
                    };
                }
                return r -> {
                    Object v = raw.eval(r);
                    return v == null ? null : v.toString();
                };
            case BOOLEAN:
                // Canonical Boolean instances, so that logic can compare by identity.
                return r -> {
                    Object v = raw.eval(r);
                    return v == null ? null : ((Boolean) v ? TRUE : FALSE);
                };
            case DECIMAL:
                {
                    int scale = field.type().scale();
                    return r -> {
                        Object v = raw.eval(r);
                        return v == null ? null : AvroTypes.toBigDecimal(v, scale);
                    };
                }
            default:
                return raw;
        }
    }

    // ---- logic -----------------------------------------------------------------------------

    private static Evaluator and(Evaluator left, Evaluator right) {
        return r -> {
            Object a = left.eval(r);
            if (a == FALSE) {
                return FALSE;
            }
            Object b = right.eval(r);
            if (b == FALSE) {
                return FALSE;
            }
            return a == null || b == null ? null : TRUE;
        };
    }

    private static Evaluator or(Evaluator left, Evaluator right) {
        return r -> {
            Object a = left.eval(r);
            if (a == TRUE) {
                return TRUE;
            }
            Object b = right.eval(r);
            if (b == TRUE) {
                return TRUE;
            }
            return a == null || b == null ? null : FALSE;
        };
    }

    private static Evaluator not(Evaluator operand) {
        return r -> {
            Object a = operand.eval(r);
            return a == null ? null : (a == TRUE ? FALSE : TRUE);
        };
    }

    private Evaluator isNull(Node operand, boolean wantNull) {
        // A field is tested on its raw value: no conversion needed to know it is null.
        Evaluator e = operand instanceof FieldRef ? raw((FieldRef) operand) : build(operand);
        if (wantNull) {
            return r -> e.eval(r) == null ? TRUE : FALSE;
        }
        return r -> e.eval(r) != null ? TRUE : FALSE;
    }

    // ---- comparison ------------------------------------------------------------------------

    private static Comparator<Object> comparator(SqlType.Kind kind) {
        switch (kind) {
            case BOOLEAN:
                return (a, b) -> Boolean.compare((Boolean) a, (Boolean) b);
            case INT:
                return (a, b) -> Integer.compare((Integer) a, (Integer) b);
            case BIGINT:
                return (a, b) -> Long.compare((Long) a, (Long) b);
            case FLOAT:
                return (a, b) -> SqlFunctions.compareDouble((Float) a, (Float) b);
            case DOUBLE:
                return (a, b) -> SqlFunctions.compareDouble((Double) a, (Double) b);
            case DECIMAL:
                return (a, b) -> ((BigDecimal) a).compareTo((BigDecimal) b);
            case STRING:
                return (a, b) -> SqlFunctions.compareStrings((String) a, (String) b);
            default:
                throw new IllegalStateException("values of type " + kind + " are not comparable");
        }
    }

    private Evaluator comparison(Call call) {
        Evaluator left = build(arg(call, 0));
        Evaluator right = build(arg(call, 1));
        SqlType.Kind kind = arg(call, 0).type().kind();
        if (kind == SqlType.Kind.STRING && (call.op() == Op.EQ || call.op() == Op.NE)) {
            boolean equal = call.op() == Op.EQ;
            return r -> {
                Object a = left.eval(r);
                if (a == null) {
                    return null;
                }
                Object b = right.eval(r);
                if (b == null) {
                    return null;
                }
                return a.equals(b) == equal ? TRUE : FALSE;
            };
        }
        Comparator<Object> cmp = comparator(kind);
        switch (call.op()) {
            case EQ:
                return r -> {
                    Object a = left.eval(r);
                    Object b = a == null ? null : right.eval(r);
                    return b == null ? null : cmp.compare(a, b) == 0 ? TRUE : FALSE;
                };
            case NE:
                return r -> {
                    Object a = left.eval(r);
                    Object b = a == null ? null : right.eval(r);
                    return b == null ? null : cmp.compare(a, b) != 0 ? TRUE : FALSE;
                };
            case LT:
                return r -> {
                    Object a = left.eval(r);
                    Object b = a == null ? null : right.eval(r);
                    return b == null ? null : cmp.compare(a, b) < 0 ? TRUE : FALSE;
                };
            case LE:
                return r -> {
                    Object a = left.eval(r);
                    Object b = a == null ? null : right.eval(r);
                    return b == null ? null : cmp.compare(a, b) <= 0 ? TRUE : FALSE;
                };
            case GT:
                return r -> {
                    Object a = left.eval(r);
                    Object b = a == null ? null : right.eval(r);
                    return b == null ? null : cmp.compare(a, b) > 0 ? TRUE : FALSE;
                };
            case GE:
                return r -> {
                    Object a = left.eval(r);
                    Object b = a == null ? null : right.eval(r);
                    return b == null ? null : cmp.compare(a, b) >= 0 ? TRUE : FALSE;
                };
            default:
                throw new IllegalStateException("not a comparison: " + call.op());
        }
    }

    private Evaluator distinct(Call call, boolean distinct) {
        Evaluator left = build(arg(call, 0));
        Evaluator right = build(arg(call, 1));
        Comparator<Object> cmp = comparator(arg(call, 0).type().kind());
        return r -> {
            Object a = left.eval(r);
            Object b = right.eval(r);
            boolean same = a == null ? b == null : b != null && cmp.compare(a, b) == 0;
            return same != distinct ? TRUE : FALSE;
        };
    }

    private Evaluator in(Call call) {
        List<Node> args = call.args();
        Evaluator value = build(args.get(0));
        SqlType.Kind kind = args.get(0).type().kind();
        List<Node> items = args.subList(1, args.size());
        if (items.stream().allMatch(item -> item instanceof Literal)) {
            Set<Object> set = new HashSet<>();
            boolean hasNull = false;
            for (Node item : items) {
                Object v = ((Literal) item).value();
                if (v == null) {
                    hasNull = true;
                } else {
                    set.add(normalize(v));
                }
            }
            Boolean notFound = hasNull ? null : FALSE;
            return r -> {
                Object v = value.eval(r);
                if (v == null) {
                    return null;
                }
                return set.contains(normalize(v)) ? TRUE : notFound;
            };
        }
        Evaluator[] candidates = items.stream().map(this::build).toArray(Evaluator[]::new);
        Comparator<Object> cmp = comparator(kind);
        return r -> {
            Object v = value.eval(r);
            if (v == null) {
                return null;
            }
            boolean sawNull = false;
            for (Evaluator candidate : candidates) {
                Object c = candidate.eval(r);
                if (c == null) {
                    sawNull = true;
                } else if (cmp.compare(v, c) == 0) {
                    return TRUE;
                }
            }
            return sawNull ? null : FALSE;
        };
    }

    /** A value whose equals/hashCode agree with SQL equality (0.0 = -0.0, 1.0 = 1.00). */
    private static Object normalize(Object value) {
        if (value instanceof Double && (Double) value == 0.0d) {
            return 0.0d;
        }
        if (value instanceof Float && (Float) value == 0.0f) {
            return 0.0f;
        }
        if (value instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) value;
            return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
        return value;
    }

    private Evaluator like(Call call) {
        Evaluator value = build(arg(call, 0));
        Node pattern = arg(call, 1);
        Character escape =
                call.args().size() > 2
                        ? ((String) ((Literal) arg(call, 2)).value()).charAt(0)
                        : null;
        if (pattern instanceof Literal) {
            String text = (String) ((Literal) pattern).value();
            if (text == null) {
                return r -> null;
            }
            LikeMatcher matcher;
            try {
                matcher = LikeMatcher.compile(text, escape);
            } catch (IllegalArgumentException e) {
                throw ExpressionException.of(
                        ExpressionException.Kind.TYPE,
                        e.getMessage()
                                + ": \""
                                + call.text()
                                + "\" in expression \""
                                + expression
                                + "\"",
                        expression);
            }
            return r -> {
                Object v = value.eval(r);
                return v == null ? null : matcher.matches((String) v) ? TRUE : FALSE;
            };
        }
        // A pattern computed per record: compile it only when it changes.
        Evaluator patternEvaluator = build(pattern);
        LikeCache cache = new LikeCache(escape);
        return r -> {
            Object v = value.eval(r);
            if (v == null) {
                return null;
            }
            Object p = patternEvaluator.eval(r);
            if (p == null) {
                return null;
            }
            try {
                return cache.matcher((String) p).matches((String) v) ? TRUE : FALSE;
            } catch (IllegalArgumentException e) {
                throw failure(call, e.getMessage(), e);
            }
        };
    }

    /** The last pattern compiled by a LIKE with a computed pattern. */
    private static final class LikeCache {
        private final Character escape;
        private volatile Compiled last;

        LikeCache(Character escape) {
            this.escape = escape;
        }

        LikeMatcher matcher(String pattern) {
            Compiled current = last;
            if (current == null || !current.pattern.equals(pattern)) {
                current = new Compiled(pattern, LikeMatcher.compile(pattern, escape));
                last = current;
            }
            return current.matcher;
        }

        private static final class Compiled {
            final String pattern;
            final LikeMatcher matcher;

            Compiled(String pattern, LikeMatcher matcher) {
                this.pattern = pattern;
                this.matcher = matcher;
            }
        }
    }

    // ---- CASE, COALESCE, strings -------------------------------------------------------------

    private Evaluator caseWhen(Call call) {
        List<Node> args = call.args();
        int branches = (args.size() - 1) / 2;
        Evaluator[] conditions = new Evaluator[branches];
        Evaluator[] results = new Evaluator[branches];
        for (int i = 0; i < branches; i++) {
            conditions[i] = build(args.get(2 * i));
            results[i] = build(args.get(2 * i + 1));
        }
        Evaluator otherwise = build(args.get(args.size() - 1));
        return r -> {
            for (int i = 0; i < conditions.length; i++) {
                if (conditions[i].eval(r) == TRUE) {
                    return results[i].eval(r);
                }
            }
            return otherwise.eval(r);
        };
    }

    private Evaluator coalesce(Call call) {
        Evaluator[] operands = call.args().stream().map(this::build).toArray(Evaluator[]::new);
        return r -> {
            for (Evaluator operand : operands) {
                Object v = operand.eval(r);
                if (v != null) {
                    return v;
                }
            }
            return null;
        };
    }

    private Evaluator concat(Call call) {
        Evaluator[] operands = call.args().stream().map(this::build).toArray(Evaluator[]::new);
        if (operands.length == 2) {
            return binary(call, (a, b) -> ((String) a).concat((String) b));
        }
        return r -> {
            StringBuilder result = new StringBuilder();
            for (Evaluator operand : operands) {
                Object v = operand.eval(r);
                if (v == null) {
                    return null;
                }
                result.append((String) v);
            }
            return result.toString();
        };
    }

    private Evaluator substring(Call call) {
        Evaluator string = build(arg(call, 0));
        Evaluator start = build(arg(call, 1));
        if (call.args().size() == 2) {
            return r -> {
                Object s = string.eval(r);
                Object from = s == null ? null : start.eval(r);
                return from == null
                        ? null
                        : SqlFunctions.substring((String) s, (Long) from, Long.MAX_VALUE);
            };
        }
        Evaluator length = build(arg(call, 2));
        return r -> {
            Object s = string.eval(r);
            Object from = s == null ? null : start.eval(r);
            Object count = from == null ? null : length.eval(r);
            return count == null
                    ? null
                    : SqlFunctions.substring((String) s, (Long) from, (Long) count);
        };
    }

    // ---- numeric functions -----------------------------------------------------------------

    /** A null-propagating operation on one non-null value. */
    @FunctionalInterface
    private interface UnaryFunction {
        Object apply(Object value);
    }

    /** A null-propagating operation on two non-null values. */
    @FunctionalInterface
    private interface BinaryFunction {
        Object apply(Object a, Object b);
    }

    private Evaluator unary(Call call, UnaryFunction function) {
        Evaluator operand = build(arg(call, 0));
        return r -> {
            Object v = operand.eval(r);
            if (v == null) {
                return null;
            }
            try {
                return function.apply(v);
            } catch (ArithmeticException | IllegalArgumentException e) {
                throw failure(call, e.getMessage(), e);
            }
        };
    }

    private Evaluator binary(Call call, BinaryFunction function) {
        Evaluator left = build(arg(call, 0));
        Evaluator right = build(arg(call, 1));
        return r -> {
            Object a = left.eval(r);
            if (a == null) {
                return null;
            }
            Object b = right.eval(r);
            if (b == null) {
                return null;
            }
            try {
                return function.apply(a, b);
            } catch (ArithmeticException | IllegalArgumentException e) {
                throw failure(call, e.getMessage(), e);
            }
        };
    }

    private static BinaryFunction arithmetic(Op op, SqlType type) {
        switch (type.kind()) {
            case INT:
                switch (op) {
                    case PLUS:
                        return (a, b) -> SqlFunctions.addInt((Integer) a, (Integer) b);
                    case MINUS:
                        return (a, b) -> SqlFunctions.subtractInt((Integer) a, (Integer) b);
                    case TIMES:
                        return (a, b) -> SqlFunctions.multiplyInt((Integer) a, (Integer) b);
                    case DIVIDE:
                        return (a, b) -> SqlFunctions.divideInt((Integer) a, (Integer) b);
                    default:
                        return (a, b) -> SqlFunctions.modInt((Integer) a, (Integer) b);
                }
            case BIGINT:
                switch (op) {
                    case PLUS:
                        return (a, b) -> SqlFunctions.addLong((Long) a, (Long) b);
                    case MINUS:
                        return (a, b) -> SqlFunctions.subtractLong((Long) a, (Long) b);
                    case TIMES:
                        return (a, b) -> SqlFunctions.multiplyLong((Long) a, (Long) b);
                    case DIVIDE:
                        return (a, b) -> SqlFunctions.divideLong((Long) a, (Long) b);
                    default:
                        return (a, b) -> SqlFunctions.modLong((Long) a, (Long) b);
                }
            case FLOAT:
                switch (op) {
                    case PLUS:
                        return (a, b) -> (Float) a + (Float) b;
                    case MINUS:
                        return (a, b) -> (Float) a - (Float) b;
                    case TIMES:
                        return (a, b) -> (Float) a * (Float) b;
                    case DIVIDE:
                        return (a, b) -> (float) SqlFunctions.divideDouble((Float) a, (Float) b);
                    default:
                        return (a, b) -> (float) SqlFunctions.modDouble((Float) a, (Float) b);
                }
            case DOUBLE:
                switch (op) {
                    case PLUS:
                        return (a, b) -> (Double) a + (Double) b;
                    case MINUS:
                        return (a, b) -> (Double) a - (Double) b;
                    case TIMES:
                        return (a, b) -> (Double) a * (Double) b;
                    case DIVIDE:
                        return (a, b) -> SqlFunctions.divideDouble((Double) a, (Double) b);
                    default:
                        return (a, b) -> SqlFunctions.modDouble((Double) a, (Double) b);
                }
            case DECIMAL:
                {
                    int p = type.precision();
                    int s = type.scale();
                    switch (op) {
                        case PLUS:
                            return (a, b) ->
                                    SqlFunctions.fitDecimal(
                                            ((BigDecimal) a).add((BigDecimal) b), p, s);
                        case MINUS:
                            return (a, b) ->
                                    SqlFunctions.fitDecimal(
                                            ((BigDecimal) a).subtract((BigDecimal) b), p, s);
                        case TIMES:
                            return (a, b) ->
                                    SqlFunctions.fitDecimal(
                                            ((BigDecimal) a).multiply((BigDecimal) b), p, s);
                        case DIVIDE:
                            return (a, b) ->
                                    SqlFunctions.divideDecimal(
                                            (BigDecimal) a, (BigDecimal) b, p, s);
                        default:
                            return (a, b) ->
                                    SqlFunctions.modDecimal((BigDecimal) a, (BigDecimal) b, p, s);
                    }
                }
            default:
                throw new IllegalStateException("no arithmetic on " + type);
        }
    }

    private static UnaryFunction negation(SqlType type) {
        switch (type.kind()) {
            case INT:
                return v -> SqlFunctions.negateInt((Integer) v);
            case BIGINT:
                return v -> SqlFunctions.negateLong((Long) v);
            case FLOAT:
                return v -> -(Float) v;
            case DOUBLE:
                return v -> -(Double) v;
            case DECIMAL:
                return v -> ((BigDecimal) v).negate();
            default:
                throw new IllegalStateException("cannot negate " + type);
        }
    }

    private static UnaryFunction abs(SqlType type) {
        switch (type.kind()) {
            case INT:
                return v -> {
                    int i = (Integer) v;
                    return i < 0 ? SqlFunctions.negateInt(i) : i;
                };
            case BIGINT:
                return v -> {
                    long l = (Long) v;
                    return l < 0 ? SqlFunctions.negateLong(l) : l;
                };
            case FLOAT:
                return v -> Math.abs((Float) v);
            case DOUBLE:
                return v -> Math.abs((Double) v);
            case DECIMAL:
                return v -> ((BigDecimal) v).abs();
            default:
                throw new IllegalStateException("no ABS of " + type);
        }
    }

    /** ROUND half up (away from zero) to {@code digits} decimal places; negative: to tens... */
    private static UnaryFunction round(SqlType from, SqlType to, int digits) {
        switch (from.kind()) {
            case INT:
                if (digits >= 0) {
                    return v -> v;
                }
                return v -> {
                    BigDecimal rounded =
                            BigDecimal.valueOf((Integer) v).setScale(digits, RoundingMode.HALF_UP);
                    try {
                        return rounded.intValueExact();
                    } catch (ArithmeticException e) {
                        throw new ArithmeticException("INT overflow");
                    }
                };
            case BIGINT:
                if (digits >= 0) {
                    return v -> v;
                }
                return v -> {
                    BigDecimal rounded =
                            BigDecimal.valueOf((Long) v).setScale(digits, RoundingMode.HALF_UP);
                    try {
                        return rounded.longValueExact();
                    } catch (ArithmeticException e) {
                        throw new ArithmeticException("BIGINT overflow");
                    }
                };
            case FLOAT:
                return v -> {
                    float f = (Float) v;
                    if (Float.isNaN(f) || Float.isInfinite(f)) {
                        return f;
                    }
                    return new BigDecimal(Float.toString(f))
                            .setScale(digits, RoundingMode.HALF_UP)
                            .floatValue();
                };
            case DOUBLE:
                return v -> {
                    double d = (Double) v;
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        return d;
                    }
                    return BigDecimal.valueOf(d)
                            .setScale(digits, RoundingMode.HALF_UP)
                            .doubleValue();
                };
            case DECIMAL:
                {
                    int p = to.precision();
                    int s = to.scale();
                    return v ->
                            SqlFunctions.fitDecimal(
                                    ((BigDecimal) v).setScale(digits, RoundingMode.HALF_UP), p, s);
                }
            default:
                throw new IllegalStateException("no ROUND of " + from);
        }
    }

    private static UnaryFunction floorCeil(SqlType from, SqlType to, boolean floor) {
        switch (from.kind()) {
            case INT:
            case BIGINT:
                return v -> v;
            case FLOAT:
                return floor
                        ? v -> (float) Math.floor((Float) v)
                        : v -> (float) Math.ceil((Float) v);
            case DOUBLE:
                return floor ? v -> Math.floor((Double) v) : v -> Math.ceil((Double) v);
            case DECIMAL:
                {
                    RoundingMode mode = floor ? RoundingMode.FLOOR : RoundingMode.CEILING;
                    int p = to.precision();
                    int s = to.scale();
                    return v -> SqlFunctions.fitDecimal(((BigDecimal) v).setScale(s, mode), p, s);
                }
            default:
                throw new IllegalStateException("no FLOOR/CEIL of " + from);
        }
    }

    // ---- errors ----------------------------------------------------------------------------

    private ExpressionEvaluationException failure(Node node, String problem, Throwable cause) {
        String part = node.text();
        String message;
        if (part.equals(expression.trim())) {
            message = problem + " in expression \"" + expression + "\"";
        } else {
            message = problem + ": \"" + part + "\" in expression \"" + expression + "\"";
        }
        return new ExpressionEvaluationException(message, expression, cause);
    }
}
