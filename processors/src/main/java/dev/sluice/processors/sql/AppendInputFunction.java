package dev.sluice.processors.sql;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

/**
 * Feeds an append input into its table: every value becomes an inserted row. A value that cannot
 * become a row (a null where the schema allows none, a missing event time) is dead-lettered under
 * the processor's id; tombstones carry no fact and are skipped.
 */
final class AppendInputFunction extends ProcessFunction<SluiceRecord, Row> {
    private static final long serialVersionUID = 1L;

    private final String processorId;
    private final InputTable table;
    private transient RowReader reader;
    private transient Counter deadLettered;

    AppendInputFunction(String processorId, InputTable table) {
        this.processorId = processorId;
        this.table = table;
    }

    @Override
    public void open(OpenContext openContext) {
        reader = new RowReader(table);
        deadLettered = getRuntimeContext().getMetricGroup().counter("sluiceDeadLetters");
    }

    @Override
    public void processElement(SluiceRecord record, Context ctx, Collector<Row> out) {
        if (record.value() == null) {
            return;
        }
        Row row;
        try {
            row = reader.read(record.value(), record.key(), RowKind.INSERT);
        } catch (RuntimeException e) {
            deadLettered.inc();
            ctx.output(DeadLetters.TAG, DeadLetter.of(record, processorId, e));
            return;
        }
        out.collect(row);
    }
}
