package dev.sluice.connectors.iceberg;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;

/**
 * Reads {@code partitionBy}: each entry is a column ({@code "country"}, an identity partition) or a
 * transform of one: {@code year(ts)}, {@code month(ts)}, {@code day(ts)}, {@code hour(ts)}, {@code
 * bucket(16, id)}, {@code truncate(4, name)} (Iceberg's transforms, with Iceberg's rules on which
 * column types each accepts).
 */
public final class PartitionSpecs {

    private static final Pattern IDENTITY = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*");
    private static final Pattern TIME =
            Pattern.compile(
                    "\\s*(year|month|day|hour)\\s*\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*");
    private static final Pattern WIDTH =
            Pattern.compile(
                    "\\s*(bucket|truncate)\\s*\\(\\s*(\\d{1,9})\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*");

    private PartitionSpecs() {}

    /**
     * The spec of {@code entries} over {@code schema}; an empty list is the unpartitioned spec.
     *
     * @throws IllegalArgumentException naming the entry that is malformed, names no column, or
     *     applies a transform to a column type it does not take
     */
    public static PartitionSpec parse(List<String> entries, Schema schema) {
        PartitionSpec.Builder builder = PartitionSpec.builderFor(schema);
        for (String entry : entries) {
            try {
                add(builder, entry);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + entry + "': " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /** The source columns the entries read. */
    public static Set<String> sourceColumns(List<String> entries) {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : entries) {
            Matcher m;
            if ((m = IDENTITY.matcher(entry)).matches()) {
                out.add(m.group(1));
            } else if ((m = TIME.matcher(entry)).matches()) {
                out.add(m.group(2));
            } else if ((m = WIDTH.matcher(entry)).matches()) {
                out.add(m.group(3));
            }
        }
        return out;
    }

    private static void add(PartitionSpec.Builder builder, String entry) {
        Matcher m;
        if ((m = IDENTITY.matcher(entry)).matches()) {
            builder.identity(m.group(1));
            return;
        }
        if ((m = TIME.matcher(entry)).matches()) {
            String column = m.group(2);
            switch (m.group(1)) {
                case "year":
                    builder.year(column);
                    return;
                case "month":
                    builder.month(column);
                    return;
                case "day":
                    builder.day(column);
                    return;
                default:
                    builder.hour(column);
                    return;
            }
        }
        if ((m = WIDTH.matcher(entry)).matches()) {
            int width = Integer.parseInt(m.group(2));
            if (width < 1) {
                throw new IllegalArgumentException("the width must be at least 1");
            }
            if ("bucket".equals(m.group(1))) {
                builder.bucket(m.group(3), width);
            } else {
                builder.truncate(m.group(3), width);
            }
            return;
        }
        throw new IllegalArgumentException(
                "expected a column name or year(col), month(col), day(col), hour(col),"
                        + " bucket(N, col), truncate(N, col)");
    }
}
