package dev.sluice.processors.expression;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Conversions between SQL types, for explicit {@code CAST}s and for the implicit widenings the type
 * checker inserts (INT → BIGINT → DECIMAL → DOUBLE ...). {@link #converter} returns one small
 * function per (from, to) pair, chosen once at compile time.
 *
 * <p>Semantics: numbers to integers truncate toward zero and fail when out of range; strings are
 * trimmed, then parsed strictly (integers for INT/BIGINT) and fail when malformed; booleans become
 * 1/0 and {@code 'TRUE'}/{@code 'FALSE'}; strings {@code true/t/yes/y/1} and {@code false/f/no/n/0}
 * (any case) become booleans; {@code VARCHAR(n)} truncates to n characters.
 */
final class Casts {

    /** A conversion of a non-null value. */
    @FunctionalInterface
    interface Converter {
        Object convert(Object value);
    }

    private Casts() {}

    /** Whether a value of type {@code from} may be cast to {@code to}. */
    static boolean allowed(SqlType from, SqlType to) {
        SqlType.Kind f = from.kind();
        SqlType.Kind t = to.kind();
        if (f == SqlType.Kind.NULL) {
            return true;
        }
        if (f == SqlType.Kind.OTHER || t == SqlType.Kind.OTHER || t == SqlType.Kind.NULL) {
            return false;
        }
        switch (t) {
            case STRING:
                return true;
            case BOOLEAN:
                return f == SqlType.Kind.BOOLEAN || f == SqlType.Kind.STRING || f.isExactInteger();
            default:
                return f.isNumeric() || f == SqlType.Kind.STRING || f == SqlType.Kind.BOOLEAN;
        }
    }

    /**
     * The conversion from {@code from} to {@code to}; {@code maxLength} is the n of {@code
     * VARCHAR(n)}, or {@code null}.
     */
    static Converter converter(SqlType from, SqlType to, Integer maxLength) {
        Converter base = base(from, to);
        if (maxLength == null) {
            return base;
        }
        int max = maxLength;
        return v -> SqlFunctions.truncate((String) base.convert(v), max);
    }

    private static Converter base(SqlType from, SqlType to) {
        if (from.sameAs(to)) {
            return v -> v;
        }
        switch (to.kind()) {
            case STRING:
                return toStringConverter(from);
            case BOOLEAN:
                return toBooleanConverter(from);
            case INT:
                return toIntConverter(from);
            case BIGINT:
                return toLongConverter(from);
            case FLOAT:
                return toFloatConverter(from);
            case DOUBLE:
                return toDoubleConverter(from);
            case DECIMAL:
                return toDecimalConverter(from, to.precision(), to.scale());
            default:
                throw new IllegalStateException("no conversion from " + from + " to " + to);
        }
    }

    private static Converter toStringConverter(SqlType from) {
        switch (from.kind()) {
            case BOOLEAN:
                return v -> ((Boolean) v) ? "TRUE" : "FALSE";
            case DECIMAL:
                return v -> ((BigDecimal) v).toPlainString();
            default:
                return Object::toString;
        }
    }

    private static Converter toBooleanConverter(SqlType from) {
        switch (from.kind()) {
            case STRING:
                return v -> parseBoolean((String) v);
            case INT:
                return v -> ((Integer) v) != 0 ? Boolean.TRUE : Boolean.FALSE;
            case BIGINT:
                return v -> ((Long) v) != 0 ? Boolean.TRUE : Boolean.FALSE;
            default:
                throw new IllegalStateException("no conversion from " + from + " to BOOLEAN");
        }
    }

    private static Converter toIntConverter(SqlType from) {
        switch (from.kind()) {
            case BIGINT:
                return v -> longToInt((Long) v);
            case FLOAT:
            case DOUBLE:
                return v -> longToInt(doubleToLong(((Number) v).doubleValue(), "INT"));
            case DECIMAL:
                return v -> decimalToInt((BigDecimal) v);
            case STRING:
                return v -> parseInt((String) v);
            case BOOLEAN:
                return v -> ((Boolean) v) ? 1 : 0;
            default:
                throw new IllegalStateException("no conversion from " + from + " to INT");
        }
    }

    private static Converter toLongConverter(SqlType from) {
        switch (from.kind()) {
            case INT:
                return v -> (long) (Integer) v;
            case FLOAT:
            case DOUBLE:
                return v -> doubleToLong(((Number) v).doubleValue(), "BIGINT");
            case DECIMAL:
                return v -> decimalToLong((BigDecimal) v);
            case STRING:
                return v -> parseLong((String) v);
            case BOOLEAN:
                return v -> ((Boolean) v) ? 1L : 0L;
            default:
                throw new IllegalStateException("no conversion from " + from + " to BIGINT");
        }
    }

    private static Converter toFloatConverter(SqlType from) {
        switch (from.kind()) {
            case STRING:
                return v -> (float) parseDouble((String) v, "FLOAT");
            case BOOLEAN:
                return v -> ((Boolean) v) ? 1f : 0f;
            default:
                return v -> ((Number) v).floatValue();
        }
    }

    private static Converter toDoubleConverter(SqlType from) {
        switch (from.kind()) {
            case STRING:
                return v -> parseDouble((String) v, "DOUBLE");
            case BOOLEAN:
                return v -> ((Boolean) v) ? 1d : 0d;
            default:
                return v -> ((Number) v).doubleValue();
        }
    }

    private static Converter toDecimalConverter(SqlType from, int precision, int scale) {
        switch (from.kind()) {
            case INT:
            case BIGINT:
                return v ->
                        SqlFunctions.fitDecimal(
                                BigDecimal.valueOf(((Number) v).longValue()), precision, scale);
            case FLOAT:
                return v ->
                        SqlFunctions.fitDecimal(
                                finiteDecimal(Float.toString((Float) v), (Float) v),
                                precision,
                                scale);
            case DOUBLE:
                return v ->
                        SqlFunctions.fitDecimal(
                                finiteDecimal(Double.toString((Double) v), (Double) v),
                                precision,
                                scale);
            case DECIMAL:
                return v -> SqlFunctions.fitDecimal((BigDecimal) v, precision, scale);
            case STRING:
                return v ->
                        SqlFunctions.fitDecimal(
                                parseDecimal((String) v, "DECIMAL"), precision, scale);
            case BOOLEAN:
                return v ->
                        SqlFunctions.fitDecimal(
                                ((Boolean) v) ? BigDecimal.ONE : BigDecimal.ZERO, precision, scale);
            default:
                throw new IllegalStateException("no conversion from " + from + " to DECIMAL");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static BigDecimal finiteDecimal(String text, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("cannot cast " + value + " to DECIMAL");
        }
        return new BigDecimal(text);
    }

    private static int longToInt(long value) {
        if ((int) value != value) {
            throw new ArithmeticException("value " + value + " is out of range for INT");
        }
        return (int) value;
    }

    private static long doubleToLong(double value, String target) {
        if (Double.isNaN(value) || value >= 0x1p63 || value < -0x1p63 || Double.isInfinite(value)) {
            throw new ArithmeticException("value " + value + " is out of range for " + target);
        }
        return (long) value;
    }

    private static int decimalToInt(BigDecimal value) {
        try {
            return value.setScale(0, RoundingMode.DOWN).intValueExact();
        } catch (ArithmeticException e) {
            throw new ArithmeticException(
                    "value " + value.toPlainString() + " is out of range for INT");
        }
    }

    private static long decimalToLong(BigDecimal value) {
        try {
            return value.setScale(0, RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw new ArithmeticException(
                    "value " + value.toPlainString() + " is out of range for BIGINT");
        }
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "cannot cast " + SqlFunctions.quote(s) + " to INT", e);
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "cannot cast " + SqlFunctions.quote(s) + " to BIGINT", e);
        }
    }

    private static double parseDouble(String s, String target) {
        String t = s.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                return parseDecimal(s, target).doubleValue();
        }
    }

    private static BigDecimal parseDecimal(String s, String target) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "cannot cast " + SqlFunctions.quote(s) + " to " + target, e);
        }
    }

    private static Boolean parseBoolean(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "t":
            case "yes":
            case "y":
            case "1":
                return Boolean.TRUE;
            case "false":
            case "f":
            case "no":
            case "n":
            case "0":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException(
                        "cannot cast " + SqlFunctions.quote(s) + " to BOOLEAN");
        }
    }
}
