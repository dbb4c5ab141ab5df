package dev.sluice.connectors.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@code jdbc} read is divided: one split without a split column; otherwise up to {@code
 * count} ranges of equal width between the column's MIN and MAX, found when the run starts (so each
 * run splits the table as it is then). Rows whose split column is NULL go with the first range.
 */
final class JdbcSplits {

    private JdbcSplits() {}

    /** The splits of one run of {@code query}. */
    static List<JdbcSplit> plan(Connection connection, JdbcQuery query, int count)
            throws SQLException {
        if (!query.isSplit()) {
            return List.of(JdbcSplit.whole());
        }
        BigDecimal min;
        BigDecimal max;
        try (PreparedStatement s = connection.prepareStatement(query.bounds());
                ResultSet rs = s.executeQuery()) {
            rs.next();
            min = rs.getBigDecimal(1);
            max = rs.getBigDecimal(2);
        }
        return ranges(min, max, count, query.integralSplit());
    }

    /**
     * Up to {@code count} ranges covering {@code [min, max]}, the first also taking NULLs; only the
     * NULL split when the column has no value.
     */
    static List<JdbcSplit> ranges(BigDecimal min, BigDecimal max, int count, boolean integral) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        if (min == null || max == null) {
            return List.of(JdbcSplit.nullsOnly());
        }
        List<BigDecimal> lowers = new ArrayList<>();
        if (integral) {
            BigInteger lo = min.toBigIntegerExact();
            BigInteger width = max.toBigIntegerExact().subtract(lo).add(BigInteger.ONE);
            int n = width.min(BigInteger.valueOf(count)).intValueExact();
            for (int i = 0; i < n; i++) {
                // lo + floor(width * i / n): n distinct, increasing lower bounds.
                BigInteger offset =
                        width.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n));
                lowers.add(new BigDecimal(lo.add(offset)));
            }
        } else {
            BigDecimal width = max.subtract(min);
            int n = width.signum() == 0 ? 1 : count;
            for (int i = 0; i < n; i++) {
                BigDecimal lower =
                        i == 0
                                ? min
                                : min.add(
                                        width.multiply(BigDecimal.valueOf(i))
                                                .divide(
                                                        BigDecimal.valueOf(n),
                                                        MathContext.DECIMAL128)
                                                .setScale(
                                                        Math.max(min.scale(), 0) + 6,
                                                        RoundingMode.HALF_UP));
                if (lowers.isEmpty()
                        || (lower.compareTo(lowers.get(lowers.size() - 1)) > 0
                                && lower.compareTo(max) <= 0)) {
                    lowers.add(lower);
                }
            }
        }
        List<JdbcSplit> splits = new ArrayList<>();
        for (int i = 0; i < lowers.size(); i++) {
            boolean last = i == lowers.size() - 1;
            splits.add(
                    JdbcSplit.range(
                            i, lowers.get(i), last ? max : lowers.get(i + 1), last, i == 0));
        }
        return splits;
    }
}
