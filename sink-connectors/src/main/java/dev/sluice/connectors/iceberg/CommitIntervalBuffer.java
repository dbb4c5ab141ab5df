package dev.sluice.connectors.iceberg;

import dev.sluice.sdk.SluiceRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Makes the {@code iceberg} sink commit at most once per {@code commitInterval}. Iceberg's Flink
 * writer closes its files and commits at every checkpoint; with a short checkpoint interval that is
 * many small files and snapshots. This operator, placed before the writer, holds records back in
 * checkpointed operator state and releases them just before the barrier of the first checkpoint
 * that comes at least {@code commitInterval} after the previous release. Released records are in
 * that checkpoint's commit; held records are in its state: a restart loses and duplicates nothing.
 * Checkpoints in between commit nothing (Iceberg skips empty commits, but for an occasional one
 * that records the checkpoint id).
 *
 * <p>With an interval of zero it forwards every record at once and keeps no state, so adding or
 * removing the option on a running pipeline keeps the operator (and its uid) in place. The price of
 * an interval: held records occupy state (memory of the heap backend) until released.
 */
final class CommitIntervalBuffer extends AbstractStreamOperator<SluiceRecord>
        implements OneInputStreamOperator<SluiceRecord, SluiceRecord>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final long intervalMs;
    private final TypeInformation<SluiceRecord> type;
    private transient TypeSerializer<SluiceRecord> serializer;
    private transient List<SluiceRecord> held;
    private transient ListState<SluiceRecord> state;
    private transient long lastReleaseMs;

    CommitIntervalBuffer(long intervalMs, TypeInformation<SluiceRecord> type) {
        this.intervalMs = intervalMs;
        this.type = type;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("held-records", type));
        held = new ArrayList<>();
        for (SluiceRecord r : state.get()) {
            held.add(r);
        }
        serializer = type.createSerializer(getExecutionConfig().getSerializerConfig());
        lastReleaseMs = getProcessingTimeService().getCurrentProcessingTime();
    }

    @Override
    public void processElement(StreamRecord<SluiceRecord> element) {
        if (intervalMs <= 0) {
            output.collect(element);
            return;
        }
        // Upstream operators may reuse objects; what is held must be ours.
        held.add(serializer.copy(element.getValue()));
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (!held.isEmpty() && now - lastReleaseMs >= intervalMs) {
            release();
            lastReleaseMs = now;
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(held);
    }

    @Override
    public void endInput() {
        release();
    }

    private void release() {
        StreamRecord<SluiceRecord> reuse = new StreamRecord<>(null);
        for (SluiceRecord r : held) {
            output.collect(reuse.replace(r, r.timestamp()));
        }
        held.clear();
    }
}
