package dev.sluice.connectors.iceberg;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * The {@code iceberg} source's rows as Sluice records: each {@link RowData} the reader produced
 * becomes an Avro value (an append record without a key); a row that cannot be converted becomes a
 * dead letter naming the column.
 */
final class IcebergRecordFunction extends ProcessFunction<RowData, SluiceRecord> {
    private static final long serialVersionUID = 1L;

    private final String nodeId;
    private final String tableName;
    private final RowDataToAvro converter;

    IcebergRecordFunction(String nodeId, String tableName, RowDataToAvro converter) {
        this.nodeId = nodeId;
        this.tableName = tableName;
        this.converter = converter;
    }

    @Override
    public void processElement(RowData row, Context ctx, Collector<SluiceRecord> out) {
        long now = System.currentTimeMillis();
        try {
            out.collect(SluiceRecord.of(null, converter.toRecord(row), now));
        } catch (RuntimeException e) {
            DeadLetter dl = new DeadLetter();
            dl.processorId = nodeId;
            dl.errorClass = e.getClass().getName();
            dl.errorMessage =
                    (e.getMessage() == null ? e.toString() : e.getMessage())
                            + " (a row of table '"
                            + tableName
                            + "')";
            dl.failedAtMs = now;
            dl.attempt = 1;
            ctx.output(DeadLetters.TAG, dl);
        }
    }
}
