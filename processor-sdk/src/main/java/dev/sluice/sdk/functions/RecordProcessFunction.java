package dev.sluice.sdk.functions;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The base of record-at-a-time processors: whatever {@link #processRecord} throws for one record
 * sends that record to the dead-letter side output with the processor's id and the reason, and the
 * job goes on. Tombstones (records without a value) pass through unless {@link
 * #processTombstones()} says otherwise.
 *
 * <p>Implementations must not mutate the input record or its value: records are shared between
 * chained operators without copies.
 */
@PublicEvolving
public abstract class RecordProcessFunction extends ProcessFunction<SluiceRecord, SluiceRecord> {
    private static final long serialVersionUID = 1L;

    private final String processorId;
    private transient Counter deadLettered;

    protected RecordProcessFunction(String processorId) {
        this.processorId = processorId;
    }

    /** Handles one record with a value; emit any number of outputs, or throw to dead-letter it. */
    protected abstract void processRecord(SluiceRecord record, Collector<SluiceRecord> out)
            throws Exception;

    /** Whether tombstones reach {@link #processRecord}; by default they are forwarded as is. */
    protected boolean processTombstones() {
        return false;
    }

    /** The id of the processor node, as dead letters name it. */
    protected final String processorId() {
        return processorId;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext)
            throws Exception {
        deadLettered = getRuntimeContext().getMetricGroup().counter("sluiceDeadLetters");
    }

    @Override
    public final void processElement(
            SluiceRecord record, Context ctx, Collector<SluiceRecord> out) {
        if (record.value() == null && !processTombstones()) {
            out.collect(record);
            return;
        }
        try {
            processRecord(record, out);
        } catch (Exception e) {
            if (deadLettered != null) {
                deadLettered.inc();
            }
            ctx.output(DeadLetters.TAG, DeadLetter.of(record, processorId, e));
        }
    }
}
