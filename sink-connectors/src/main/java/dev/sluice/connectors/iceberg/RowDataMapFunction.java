package dev.sluice.connectors.iceberg;

import dev.sluice.sdk.SluiceRecord;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * Feeds Iceberg's writer: each record that {@link IcebergChangeFunction} let through becomes its
 * row, with the {@link org.apache.flink.types.RowKind} that tells the writer to insert, upsert or
 * delete.
 */
final class RowDataMapFunction implements FlatMapFunction<SluiceRecord, RowData> {
    private static final long serialVersionUID = 1L;
    private final IcebergChangeFunction.RowMapper rows;

    RowDataMapFunction(IcebergChangeFunction.RowMapper rows) {
        this.rows = rows;
    }

    @Override
    public void flatMap(SluiceRecord record, Collector<RowData> out) {
        RowData row = rows.toRow(record);
        if (row != null) {
            out.collect(row);
        }
    }
}
