package dev.sluice.connectors.sink;

/** What one record asks of a table that applies a changelog. */
public enum Change {
    /** Insert the row, or replace the row with the same key. */
    UPSERT,
    /** Delete the row of this key; the value is the last row image ({@code __op = "d"}). */
    DELETE,
    /** Delete the row of this key; there is no value, only the key bytes (a tombstone). */
    DELETE_BY_KEY,
    /** Nothing to do: a tombstone that follows a {@code d} record the sink already applied. */
    SKIP
}
