package dev.sluice.sdk.testing;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.functions.RecordProcessFunction;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.util.Collector;

/** A stateful function for the harness's tests: passes each {@code id} once, ever. */
final class DistinctIdsFunction extends RecordProcessFunction implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private transient Set<Long> seen;
    private transient ListState<Long> state;

    DistinctIdsFunction(String processorId) {
        super(processorId);
    }

    @Override
    protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
        long id = (Long) record.value().get("id");
        if (id < 0) {
            throw new IllegalArgumentException("negative id " + id);
        }
        if (seen.add(id)) {
            out.collect(record);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        state.update(new java.util.ArrayList<>(seen));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("seen", Types.LONG));
        seen = new HashSet<>();
        for (Long id : state.get()) {
            seen.add(id);
        }
    }
}
