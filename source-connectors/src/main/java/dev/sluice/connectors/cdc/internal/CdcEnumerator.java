package dev.sluice.connectors.cdc.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Gives the capture's single split to reader 0 once it registers, and takes it back if that reader
 * fails before a checkpoint held it. A database log is read by one reader, in order.
 */
@Internal
final class CdcEnumerator implements SplitEnumerator<CdcSplit, List<CdcSplit>> {
    private final SplitEnumeratorContext<CdcSplit> context;
    private final List<CdcSplit> unassigned;

    CdcEnumerator(SplitEnumeratorContext<CdcSplit> context, List<CdcSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<CdcSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
        assign();
    }

    @Override
    public void addReader(int subtaskId) {
        assign();
    }

    private void assign() {
        if (!unassigned.isEmpty() && context.registeredReaders().containsKey(0)) {
            context.assignSplit(unassigned.get(0), 0);
            unassigned.clear();
        }
    }

    @Override
    public List<CdcSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(unassigned);
    }

    @Override
    public void close() {}
}
