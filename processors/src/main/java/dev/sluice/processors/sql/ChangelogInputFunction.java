package dev.sluice.processors.sql;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import java.util.Base64;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.runtime.typeutils.ExternalTypeInfo;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

/**
 * Feeds a changelog input into its table as a full changelog (inserts, updates with their previous
 * row, deletes with the deleted row), the form every Flink SQL operator can consume.
 *
 * <p>Sluice's changelogs carry only new row images, keyed by the Kafka key, so this operator keeps
 * the current row of every key (keyed state): a value becomes an insert, or an update-before of the
 * kept row plus an update-after; a value with {@code __op} = "d" deletes the kept row; a tombstone
 * deletes the kept row when the schema has no {@code __op} field (an upsert topic) and is skipped
 * when it has one (the delete came just before it). A delete of a key with no kept row, and a value
 * equal to the kept row, change nothing and emit nothing. Records without a key cannot be matched
 * with earlier ones: their values are inserts and their deletes delete exactly the image they
 * carry.
 */
final class ChangelogInputFunction extends KeyedProcessFunction<String, SluiceRecord, Row> {
    private static final long serialVersionUID = 1L;

    /** The key the records without a key share (no other key is empty). */
    static final String NO_KEY = "";

    private final String processorId;
    private final InputTable table;
    private transient RowReader reader;
    private transient ValueState<Row> current;
    private transient Counter deadLettered;

    ChangelogInputFunction(String processorId, InputTable table) {
        this.processorId = processorId;
        this.table = table;
    }

    /** Partitions records by their Kafka key bytes. */
    static final class ByKey implements KeySelector<SluiceRecord, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(SluiceRecord record) {
            byte[] key = record.key();
            return key == null ? NO_KEY : "k" + Base64.getEncoder().encodeToString(key);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        reader = new RowReader(table);
        current =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "row", ExternalTypeInfo.<Row>of(table.rowType())));
        deadLettered = getRuntimeContext().getMetricGroup().counter("sluiceDeadLetters");
    }

    @Override
    public void processElement(SluiceRecord record, Context ctx, Collector<Row> out)
            throws Exception {
        boolean keyless = NO_KEY.equals(ctx.getCurrentKey());
        if (record.value() == null) {
            if (reader.hasOp() || keyless) {
                return;
            }
            delete(out);
            return;
        }
        Row row;
        boolean delete;
        try {
            delete = reader.isDelete(record.value());
            row = reader.read(record.value(), record.key(), RowKind.INSERT);
        } catch (RuntimeException e) {
            deadLettered.inc();
            ctx.output(DeadLetters.TAG, DeadLetter.of(record, processorId, e));
            return;
        }
        if (keyless) {
            row.setKind(delete ? RowKind.DELETE : RowKind.INSERT);
            out.collect(row);
            return;
        }
        if (delete) {
            delete(out);
            return;
        }
        Row previous = current.value();
        if (previous == null) {
            current.update(row);
            out.collect(row);
            return;
        }
        if (previous.equals(row)) {
            return;
        }
        current.update(row);
        Row before = Row.copy(previous);
        before.setKind(RowKind.UPDATE_BEFORE);
        Row after = Row.copy(row);
        after.setKind(RowKind.UPDATE_AFTER);
        out.collect(before);
        out.collect(after);
    }

    private void delete(Collector<Row> out) throws Exception {
        Row previous = current.value();
        if (previous == null) {
            return;
        }
        current.clear();
        Row deleted = Row.copy(previous);
        deleted.setKind(RowKind.DELETE);
        out.collect(deleted);
    }
}
