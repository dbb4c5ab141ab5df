package dev.sluice.connectors.jdbc;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One row change ready for JDBC: an upsert with the values of the written columns, or a delete with
 * the primary key values. {@link #rowKey()} identifies the row across changes so a batch keeps only
 * the last change of each row.
 */
final class JdbcChange {
    private final boolean delete;
    private final Object[] key;
    private final Object[] values;

    private JdbcChange(boolean delete, Object[] key, Object[] values) {
        this.delete = delete;
        this.key = key;
        this.values = values;
    }

    static JdbcChange upsert(Object[] key, Object[] values) {
        return new JdbcChange(false, key, values);
    }

    static JdbcChange delete(Object[] key) {
        return new JdbcChange(true, key, null);
    }

    boolean isDelete() {
        return delete;
    }

    /** Primary key values, in key order. */
    Object[] key() {
        return key;
    }

    /** Values of the written columns (upserts only). */
    Object[] values() {
        return values;
    }

    /**
     * The row's identity, with equal keys equal: decimals without trailing zeros, bytes by content.
     */
    List<Object> rowKey() {
        List<Object> out = new ArrayList<>(key.length);
        for (Object k : key) {
            if (k instanceof BigDecimal) {
                BigDecimal d = ((BigDecimal) k).stripTrailingZeros();
                out.add(d.signum() == 0 ? BigDecimal.ZERO : d);
            } else if (k instanceof byte[]) {
                out.add(ByteBuffer.wrap((byte[]) k));
            } else {
                out.add(k);
            }
        }
        return out;
    }

    /** {@link #rowKey()} as text, equal for equal keys (for partitioning by row). */
    String rowKeyText() {
        StringBuilder sb = new StringBuilder();
        for (Object k : rowKey()) {
            if (sb.length() > 0) {
                sb.append('\u0000');
            }
            if (k instanceof ByteBuffer) {
                sb.append(java.util.HexFormat.of().formatHex(((ByteBuffer) k).array()));
            } else {
                sb.append(k);
            }
        }
        return sb.toString();
    }
}
