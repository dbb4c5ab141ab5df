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
    private transient Buffer buffer;

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
        buffer = new Buffer();
    }

    @Override
    public final void processElement(
            SluiceRecord record, Context ctx, Collector<SluiceRecord> out) {
        if (record.value() == null && !processTombstones()) {
            out.collect(record);
            return;
        }
        // Outputs are buffered while the record is processed and emitted afterwards: a failure
        // of a chained downstream operator (a failed Kafka send, ...) must fail the job, not be
        // dead-lettered as this record's fault.
        if (buffer == null) {
            buffer = new Buffer();
        }
        try {
            processRecord(record, buffer);
        } catch (Exception e) {
            buffer.clear();
            if (deadLettered != null) {
                deadLettered.inc();
            }
            ctx.output(DeadLetters.TAG, DeadLetter.of(record, processorId, e));
            return;
        }
        buffer.drainTo(out);
    }

    /** Collects one record's outputs; one or zero outputs cost no allocation. */
    private static final class Buffer implements Collector<SluiceRecord> {
        private SluiceRecord first;
        private java.util.ArrayList<SluiceRecord> more;

        @Override
        public void collect(SluiceRecord record) {
            if (first == null) {
                first = record;
            } else {
                if (more == null) {
                    more = new java.util.ArrayList<>();
                }
                more.add(record);
            }
        }

        void drainTo(Collector<SluiceRecord> out) {
            if (first != null) {
                SluiceRecord r = first;
                first = null;
                out.collect(r);
            }
            if (more != null && !more.isEmpty()) {
                for (SluiceRecord r : more) {
                    out.collect(r);
                }
                more.clear();
            }
        }

        void clear() {
            first = null;
            if (more != null) {
                more.clear();
            }
        }

        @Override
        public void close() {}
    }
}
