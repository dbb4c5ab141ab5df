package dev.sluice.connectors.iceberg;

import dev.sluice.connectors.sink.Change;
import dev.sluice.connectors.sink.ChangelogConvention;
import dev.sluice.connectors.sink.ConfluentKeyDecoder;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.functions.RecordProcessFunction;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

/**
 * The first operator of the {@code iceberg} sink: decides what each record does to the table and
 * proves it can be written, so that a record the table cannot take (a null key, a decimal too large
 * for its column, a tombstone whose key does not decode) becomes a dead letter instead of failing
 * the writer. Records to apply pass on unchanged; records with nothing to do (tombstones after a
 * delete, any tombstone in append mode) are dropped.
 */
final class IcebergChangeFunction extends RecordProcessFunction {
    private static final long serialVersionUID = 1L;

    private final RowMapper rows;

    IcebergChangeFunction(String nodeId, RowMapper rows) {
        super(nodeId);
        this.rows = rows;
    }

    @Override
    protected boolean processTombstones() {
        return true;
    }

    @Override
    protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
        if (rows.toRow(record) != null) {
            out.collect(record);
        }
    }

    /**
     * Turns a record into the row the writer gets, with its {@link RowKind}; {@code null} when the
     * record has nothing to apply. Shared by the checking operator and the one that feeds the
     * writer, so both decide alike.
     */
    static final class RowMapper implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private final WriteMode mode;
        private final boolean valuesHaveOp;
        private final RowDataConverter converter;
        private final ConfluentKeyDecoder keyDecoder;
        private final String[] keyColumns;

        RowMapper(
                WriteMode mode,
                boolean valuesHaveOp,
                RowDataConverter converter,
                ConfluentKeyDecoder keyDecoder,
                java.util.List<String> keyColumns) {
            this.mode = mode;
            this.valuesHaveOp = valuesHaveOp;
            this.converter = converter;
            this.keyDecoder = keyDecoder;
            this.keyColumns = keyColumns.toArray(new String[0]);
        }

        org.apache.flink.table.data.RowData toRow(SluiceRecord record) {
            Change change = ChangelogConvention.classify(record, valuesHaveOp);
            if (mode != WriteMode.UPSERT) {
                return change == Change.SKIP || change == Change.DELETE_BY_KEY
                        ? null
                        : converter.toRow(record.value(), RowKind.INSERT);
            }
            switch (change) {
                case SKIP:
                    return null;
                case DELETE_BY_KEY:
                    if (keyDecoder == null) {
                        throw new IllegalArgumentException(
                                "a tombstone deletes by key, but the input has no key schema to"
                                        + " read its key with");
                    }
                    return requireKey(
                            converter.keyRow(keyDecoder.decode(record.key()), RowKind.DELETE));
                case DELETE:
                    return requireKey(converter.toRow(record.value(), RowKind.DELETE));
                default:
                    String op = ChangelogConvention.op(record.value());
                    RowKind kind = "u".equals(op) ? RowKind.UPDATE_AFTER : RowKind.INSERT;
                    return requireKey(converter.toRow(record.value(), kind));
            }
        }

        private org.apache.flink.table.data.RowData requireKey(
                org.apache.flink.table.data.RowData row) {
            // Key columns are the table's first-class identity: a row without one cannot be
            // upserted or deleted.
            for (int i = 0; i < keyColumns.length; i++) {
                int pos = converter.position(keyColumns[i]);
                if (row.isNullAt(pos)) {
                    throw new IllegalArgumentException(
                            "key column '" + keyColumns[i] + "' is null");
                }
            }
            return row;
        }
    }
}
