package dev.sluice.connectors.cdc.internal;

import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.annotation.Internal;
import org.apache.kafka.connect.data.Struct;

/**
 * Where the database's log was when a pipeline was planned: read before the catalog, so every
 * change at or after it was made with the columns the plan derived its schemas from, or later ones.
 *
 * <p>Exists to tell a table's schema change apart from the past: a capture restored from a
 * savepoint taken before a DDL replays the changes committed before the DDL with the old columns,
 * while the plan already has the new ones. Those changes (before this position) are written with
 * the planned schema; only a change at or after it that does not fit registers a new version.
 * PostgreSQL: the WAL position ({@code pg_current_wal_insert_lsn()}); MySQL/MariaDB: binlog file
 * and position.
 */
@Internal
public final class LogPosition implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long lsn;
    private final String binlogFile;
    private final long binlogPosition;

    private LogPosition(long lsn, String binlogFile, long binlogPosition) {
        this.lsn = lsn;
        this.binlogFile = binlogFile;
        this.binlogPosition = binlogPosition;
    }

    /** A PostgreSQL WAL position. */
    public static LogPosition lsn(long lsn) {
        return new LogPosition(lsn, null, -1L);
    }

    /** A MySQL/MariaDB binlog position ({@code SHOW MASTER STATUS}). */
    public static LogPosition binlog(String file, long position) {
        return new LogPosition(-1L, Objects.requireNonNull(file, "file"), position);
    }

    /**
     * Whether the change whose Debezium {@code source} block is given was made before this
     * position. Unknown positions (other kinds, missing fields, binlog files of another name) count
     * as not before.
     */
    boolean isAfter(Struct source) {
        if (binlogFile == null) {
            if (source.schema().field("lsn") == null) {
                return false;
            }
            Long changeLsn = source.getInt64("lsn");
            return changeLsn != null && Long.compareUnsigned(changeLsn, lsn) < 0;
        }
        if (source.schema().field("file") == null || source.schema().field("pos") == null) {
            return false;
        }
        String file = source.getString("file");
        Long pos = source.getInt64("pos");
        if (file == null || pos == null || file.isEmpty()) {
            return false;
        }
        int byFile = compareFiles(file, binlogFile);
        return byFile < 0 || (byFile == 0 && pos < binlogPosition);
    }

    /**
     * Binlog files {@code base.000012}: by number when both have the same base name; files that
     * cannot be compared count as later.
     */
    private static int compareFiles(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int da = a.lastIndexOf('.');
        int db = b.lastIndexOf('.');
        if (da > 0 && db > 0 && a.substring(0, da).equals(b.substring(0, db))) {
            try {
                return Long.compare(
                        Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
            } catch (NumberFormatException e) {
                return 1;
            }
        }
        return 1;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LogPosition)) {
            return false;
        }
        LogPosition p = (LogPosition) o;
        return lsn == p.lsn
                && binlogPosition == p.binlogPosition
                && Objects.equals(binlogFile, p.binlogFile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lsn, binlogFile, binlogPosition);
    }

    @Override
    public String toString() {
        return binlogFile == null ? ChangeEncoder.lsn(lsn) : binlogFile + ":" + binlogPosition;
    }
}
