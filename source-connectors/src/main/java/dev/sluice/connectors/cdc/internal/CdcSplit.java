package dev.sluice.connectors.cdc.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of a capture: the whole database log. Its state is Debezium's position (the source
 * partition and offset of the last change handed to Flink; none before the first) and, for
 * MySQL/MariaDB, the schema history records; while the initial snapshot is in progress, also the
 * hashes of the snapshot reads emitted so far (see {@link SnapshotReadSet}), so a snapshot
 * restarted after a restore does not emit them again.
 */
@Internal
public final class CdcSplit implements SourceSplit {
    static final String ID = "cdc";

    private final Map<String, Object> partition;
    private final Map<String, Object> offset;
    private final List<String> history;
    private final long[] snapshotReads;

    CdcSplit(Map<String, ?> partition, Map<String, ?> offset, List<String> history) {
        this(partition, offset, history, new long[0]);
    }

    /**
     * @param snapshotReads hashes of the snapshot reads emitted so far (empty once the snapshot is
     *     complete); taken as is, not copied
     */
    CdcSplit(
            Map<String, ?> partition,
            Map<String, ?> offset,
            List<String> history,
            long[] snapshotReads) {
        this.partition = partition == null ? null : copy(partition);
        this.offset = offset == null ? null : copy(offset);
        this.history = List.copyOf(history);
        this.snapshotReads = java.util.Objects.requireNonNull(snapshotReads, "snapshotReads");
    }

    /** A split that starts from scratch (initial snapshot, then the log). */
    static CdcSplit fresh() {
        return new CdcSplit(null, null, List.of());
    }

    private static Map<String, Object> copy(Map<String, ?> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    @Override
    public String splitId() {
        return ID;
    }

    /** Debezium's source partition, or {@code null} before the first change. */
    Map<String, Object> partition() {
        return partition;
    }

    /** Debezium's offset, or {@code null} before the first change. */
    Map<String, Object> offset() {
        return offset;
    }

    /** Schema history records (Debezium documents as JSON), oldest first. */
    List<String> history() {
        return history;
    }

    /**
     * The 64-bit hashes of the event ids of the snapshot reads emitted so far while the initial
     * snapshot is in progress; empty otherwise. Not to be modified.
     */
    long[] snapshotReads() {
        return snapshotReads;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CdcSplit)) {
            return false;
        }
        CdcSplit s = (CdcSplit) o;
        return java.util.Objects.equals(partition, s.partition)
                && java.util.Objects.equals(offset, s.offset)
                && history.equals(s.history)
                && Arrays.equals(snapshotReads, s.snapshotReads);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(partition, offset, history.size(), snapshotReads.length);
    }

    @Override
    public String toString() {
        return "CdcSplit{offset="
                + offset
                + ", history="
                + history.size()
                + " records, snapshotReads="
                + snapshotReads.length
                + "}";
    }
}
