package dev.sluice.connectors.jdbc;

import dev.sluice.sdk.SluiceRecord;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Routes every change of a row to the same writer subtask when the sink runs in parallel, so the
 * changes of a row are applied in order: the key is the row's primary key values.
 */
final class JdbcKeySelector implements KeySelector<SluiceRecord, String> {
    private static final long serialVersionUID = 1L;
    private final JdbcRowConverter converter;

    JdbcKeySelector(JdbcRowConverter converter) {
        this.converter = converter;
    }

    @Override
    public String getKey(SluiceRecord record) {
        JdbcChange change = converter.convert(record);
        return change == null ? "" : change.rowKeyText();
    }
}
