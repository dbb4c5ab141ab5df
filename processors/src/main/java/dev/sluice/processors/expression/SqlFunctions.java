package dev.sluice.processors.expression;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The run-time behaviour of operators and functions that is more than one line of Java: exact
 * arithmetic, DECIMAL rounding and overflow checks, SQL string comparison, SUBSTRING and TRIM.
 *
 * <p>Failures are thrown as {@link ArithmeticException} or {@link IllegalArgumentException} with a
 * short message ("division by zero", "INT overflow"); the evaluator that called the function adds
 * the expression to it.
 */
final class SqlFunctions {

    private SqlFunctions() {}

    // ---- exact integer arithmetic -----------------------------------------------------------

    static int addInt(int a, int b) {
        int r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            throw new ArithmeticException("INT overflow");
        }
        return r;
    }

    static int subtractInt(int a, int b) {
        int r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            throw new ArithmeticException("INT overflow");
        }
        return r;
    }

    static int multiplyInt(int a, int b) {
        long r = (long) a * (long) b;
        if ((int) r != r) {
            throw new ArithmeticException("INT overflow");
        }
        return (int) r;
    }

    static int divideInt(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        if (a == Integer.MIN_VALUE && b == -1) {
            throw new ArithmeticException("INT overflow");
        }
        return a / b;
    }

    static int modInt(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        return b == -1 ? 0 : a % b;
    }

    static int negateInt(int a) {
        if (a == Integer.MIN_VALUE) {
            throw new ArithmeticException("INT overflow");
        }
        return -a;
    }

    static long addLong(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            throw new ArithmeticException("BIGINT overflow");
        }
        return r;
    }

    static long subtractLong(long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            throw new ArithmeticException("BIGINT overflow");
        }
        return r;
    }

    static long multiplyLong(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
        }
        throw new ArithmeticException("BIGINT overflow");
    }

    static long divideLong(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        if (a == Long.MIN_VALUE && b == -1) {
            throw new ArithmeticException("BIGINT overflow");
        }
        return a / b;
    }

    static long modLong(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        return b == -1 ? 0 : a % b;
    }

    static long negateLong(long a) {
        if (a == Long.MIN_VALUE) {
            throw new ArithmeticException("BIGINT overflow");
        }
        return -a;
    }

    static double divideDouble(double a, double b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        return a / b;
    }

    static double modDouble(double a, double b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero");
        }
        return a % b;
    }

    // ---- DECIMAL ---------------------------------------------------------------------------

    /** {@code value} rounded (half up) to {@code scale}; fails if it needs more digits. */
    static BigDecimal fitDecimal(BigDecimal value, int precision, int scale) {
        BigDecimal scaled = value.setScale(scale, RoundingMode.HALF_UP);
        if (scaled.precision() > precision) {
            throw new ArithmeticException(
                    "DECIMAL(" + precision + ", " + scale + ") overflow: " + value.toPlainString());
        }
        return scaled;
    }

    static BigDecimal divideDecimal(BigDecimal a, BigDecimal b, int precision, int scale) {
        if (b.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        return fitDecimal(a.divide(b, scale, RoundingMode.HALF_UP), precision, scale);
    }

    static BigDecimal modDecimal(BigDecimal a, BigDecimal b, int precision, int scale) {
        if (b.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        return fitDecimal(a.remainder(b), precision, scale);
    }

    // ---- comparison ------------------------------------------------------------------------

    /**
     * Compares doubles as SQL does: {@code 0.0 = -0.0}; NaN equals NaN and is greater than any
     * other value.
     */
    static int compareDouble(double a, double b) {
        if (a < b) {
            return -1;
        }
        if (a > b) {
            return 1;
        }
        return a == b ? 0 : Double.compare(a, b);
    }

    /**
     * Compares strings by Unicode code point (the order of their UTF-8 bytes, as Flink SQL does),
     * not by UTF-16 unit as {@link String#compareTo} does.
     */
    static int compareStrings(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x >= Character.MIN_SURROGATE && y >= Character.MIN_SURROGATE) {
                    return fixUp(x) - fixUp(y);
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above the other high BMP characters, giving code point order. */
    private static int fixUp(char c) {
        if (c >= 0xE000) {
            return c - 0x800;
        }
        return c + 0x2000;
    }

    // ---- strings ---------------------------------------------------------------------------

    static int charLength(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * SUBSTRING as in Flink SQL: positions count characters from 1; a negative start counts from
     * the end; 0 is the same as 1; the substring is clipped to the string, so the result is never
     * an error (a negative length gives the empty string).
     */
    static String substring(String s, long start, long length) {
        int chars = charLength(s);
        long from;
        if (start > 0) {
            from = start - 1;
        } else if (start < 0) {
            from = chars + start;
        } else {
            from = 0;
        }
        long to = length >= Long.MAX_VALUE / 2 ? chars : from + length;
        from = Math.max(from, 0);
        to = Math.min(to, chars);
        if (from >= to) {
            return "";
        }
        int begin = s.offsetByCodePoints(0, (int) from);
        int end = s.offsetByCodePoints(begin, (int) (to - from));
        return s.substring(begin, end);
    }

    /** TRIM: removes the characters of {@code chars} from one or both ends of {@code s}. */
    static String trim(String s, String chars, Node.TrimMode mode) {
        int begin = 0;
        int end = s.length();
        if (mode != Node.TrimMode.TRAILING) {
            while (begin < end) {
                int cp = s.codePointAt(begin);
                if (chars.indexOf(cp) < 0) {
                    break;
                }
                begin += Character.charCount(cp);
            }
        }
        if (mode != Node.TrimMode.LEADING) {
            while (end > begin) {
                int cp = s.codePointBefore(end);
                if (chars.indexOf(cp) < 0) {
                    break;
                }
                end -= Character.charCount(cp);
            }
        }
        return s.substring(begin, end);
    }

    /** The first {@code maxLength} characters of {@code s}. */
    static String truncate(String s, int maxLength) {
        if (s.length() <= maxLength) {
            return s;
        }
        if (charLength(s) <= maxLength) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, maxLength));
    }

    /** Quotes a value for an error message, shortened if long. */
    static String quote(Object value) {
        String s = String.valueOf(value);
        if (s.length() > 64) {
            s = s.substring(0, 61) + "...";
        }
        return "'" + s + "'";
    }
}
