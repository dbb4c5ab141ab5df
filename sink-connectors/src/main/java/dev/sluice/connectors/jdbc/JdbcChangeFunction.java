package dev.sluice.connectors.jdbc;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.functions.RecordProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The first operator of the {@code jdbc} sink: converts each record as the writer will, so a record
 * the table cannot take (a null key, a string longer than its column, a tombstone without a
 * readable key) becomes a dead letter rather than a failed batch. Records to apply pass on
 * unchanged; tombstones that follow a {@code d} record are dropped.
 */
final class JdbcChangeFunction extends RecordProcessFunction {
    private static final long serialVersionUID = 1L;
    private final JdbcRowConverter converter;

    JdbcChangeFunction(String nodeId, JdbcRowConverter converter) {
        super(nodeId);
        this.converter = converter;
    }

    @Override
    protected boolean processTombstones() {
        return true;
    }

    @Override
    protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
        if (converter.convert(record) != null) {
            out.collect(record);
        }
    }
}
