package dev.sluice.connectors.jdbc;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * One part of a {@code jdbc} source's read, run as one query: the whole result, or the rows whose
 * split column lies in {@code [lower, upper)} ({@code [lower, upper]} for the last range), and
 * optionally the rows where it is NULL. A split is read from its start again after a failure.
 */
public final class JdbcSplit implements SourceSplit {

    private final String id;
    private final BigDecimal lower;
    private final BigDecimal upper;
    private final boolean upperInclusive;
    private final boolean withNulls;

    private JdbcSplit(
            String id,
            BigDecimal lower,
            BigDecimal upper,
            boolean upperInclusive,
            boolean withNulls) {
        this.id = Objects.requireNonNull(id, "id");
        if ((lower == null) != (upper == null)) {
            throw new IllegalArgumentException("a range needs both bounds");
        }
        this.lower = lower;
        this.upper = upper;
        this.upperInclusive = upperInclusive;
        this.withNulls = withNulls;
    }

    /** The whole result, one query. */
    static JdbcSplit whole() {
        return new JdbcSplit("all", null, null, false, false);
    }

    /** The rows whose split column is NULL (all of them when MIN and MAX are NULL). */
    static JdbcSplit nullsOnly() {
        return new JdbcSplit("nulls", null, null, false, true);
    }

    /** A range of the split column. */
    static JdbcSplit range(
            int index,
            BigDecimal lower,
            BigDecimal upper,
            boolean upperInclusive,
            boolean withNulls) {
        return new JdbcSplit(
                "range-" + index,
                Objects.requireNonNull(lower, "lower"),
                Objects.requireNonNull(upper, "upper"),
                upperInclusive,
                withNulls);
    }

    @Override
    public String splitId() {
        return id;
    }

    /** Whether this split reads everything, without a predicate. */
    boolean isWhole() {
        return lower == null && !withNulls;
    }

    /** The inclusive lower bound, or {@code null} for a split of NULLs only or the whole read. */
    BigDecimal lower() {
        return lower;
    }

    BigDecimal upper() {
        return upper;
    }

    boolean upperInclusive() {
        return upperInclusive;
    }

    /** Whether the rows with a NULL split column belong to this split. */
    boolean withNulls() {
        return withNulls;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof JdbcSplit)) {
            return false;
        }
        JdbcSplit that = (JdbcSplit) o;
        return id.equals(that.id)
                && Objects.equals(lower, that.lower)
                && Objects.equals(upper, that.upper)
                && upperInclusive == that.upperInclusive
                && withNulls == that.withNulls;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, lower, upper, upperInclusive, withNulls);
    }

    @Override
    public String toString() {
        if (isWhole()) {
            return id;
        }
        String range =
                lower == null
                        ? ""
                        : "["
                                + lower.toPlainString()
                                + ", "
                                + upper.toPlainString()
                                + (upperInclusive ? "]" : ")");
        return id + range + (withNulls ? (range.isEmpty() ? "" : " ") + "+NULL" : "");
    }

    /** Splits as bytes: version 1 is id, flags, bounds as decimal strings. */
    static final class Serializer implements SimpleVersionedSerializer<JdbcSplit> {
        static final Serializer INSTANCE = new Serializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(JdbcSplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            write(split, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public JdbcSplit deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown JdbcSplit serializer version " + version);
            }
            return read(new DataInputDeserializer(serialized));
        }

        static void write(JdbcSplit split, DataOutputSerializer out) throws IOException {
            out.writeUTF(split.id);
            out.writeBoolean(split.lower != null);
            if (split.lower != null) {
                out.writeUTF(split.lower.toString());
                out.writeUTF(split.upper.toString());
            }
            out.writeBoolean(split.upperInclusive);
            out.writeBoolean(split.withNulls);
        }

        static JdbcSplit read(DataInputDeserializer in) throws IOException {
            String id = in.readUTF();
            BigDecimal lower = null;
            BigDecimal upper = null;
            if (in.readBoolean()) {
                lower = new BigDecimal(in.readUTF());
                upper = new BigDecimal(in.readUTF());
            }
            boolean upperInclusive = in.readBoolean();
            boolean withNulls = in.readBoolean();
            return new JdbcSplit(id, lower, upper, upperInclusive, withNulls);
        }
    }
}
