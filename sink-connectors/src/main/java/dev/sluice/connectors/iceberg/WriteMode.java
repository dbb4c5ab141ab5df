package dev.sluice.connectors.iceberg;

import java.util.Locale;

/** How the {@code iceberg} sink writes: the {@code write} option. */
public enum WriteMode {
    /** Every record is a new row; deletes and tombstones are not applied. */
    APPEND,
    /** Rows are replaced and deleted by key (equality deletes, format v2). */
    UPSERT,
    /** Batch only: the partitions the run writes replace what they held. */
    OVERWRITE;

    /** The mode for an option value ({@code append}, {@code upsert}, {@code overwrite}). */
    public static WriteMode of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
