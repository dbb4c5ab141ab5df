package dev.sluice.connectors.cdc.schema;

import java.util.List;

/**
 * The metadata fields every CDC value carries after the table's columns (the contract's "Records on
 * topics"). They start with two underscores so they never clash with ordinary column names; a
 * column that does clash is refused when the schema is derived.
 */
public final class CdcFields {

    /** {@code r} (snapshot read), {@code c} (insert), {@code u} (update), {@code d} (delete). */
    public static final String OP = "__op";

    /** Unique per change and stable across retries: the idempotency key. */
    public static final String EVENT_ID = "__event_id";

    /** When the change was committed at the source (snapshot reads: when the row was read). */
    public static final String TS_MS = "__ts_ms";

    /** {@code <database>.<schema>.<table>@<position>} (MySQL/MariaDB: {@code <db>.<table>@...}). */
    public static final String SOURCE = "__source";

    /** The row before an update, where the database gives it; {@code null} for other changes. */
    public static final String BEFORE = "__before";

    /** All metadata fields, in the order they follow the columns. */
    public static final List<String> ALL = List.of(OP, EVENT_ID, TS_MS, SOURCE, BEFORE);

    private CdcFields() {}
}
