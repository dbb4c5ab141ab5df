package dev.sluice.connectors.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * Plans a run's splits once, off the coordinator thread (the MIN/MAX query may take a while), and
 * hands one split to each reader that asks until none is left. Splits of a failed reader come back
 * and are read again.
 */
final class JdbcSplitEnumerator implements SplitEnumerator<JdbcSplit, JdbcEnumeratorState> {

    private final SplitEnumeratorContext<JdbcSplit> context;
    private final JdbcReadSpec spec;
    private final ArrayDeque<JdbcSplit> pending;
    private final Set<Integer> waiting = new LinkedHashSet<>();
    private boolean planned;

    JdbcSplitEnumerator(
            SplitEnumeratorContext<JdbcSplit> context,
            JdbcReadSpec spec,
            JdbcEnumeratorState restored) {
        this.context = context;
        this.spec = spec;
        this.pending = new ArrayDeque<>(restored == null ? List.of() : restored.pending());
        this.planned = restored != null && restored.planned();
    }

    @Override
    public void start() {
        if (!planned) {
            context.callAsync(this::planSplits, this::onPlanned);
        }
    }

    private List<JdbcSplit> planSplits() throws IOException {
        try (Connection c = spec.connect()) {
            return JdbcSplits.plan(c, spec.query, spec.splitCount);
        } catch (SQLException e) {
            throw new IOException(
                    "jdbc source '"
                            + spec.nodeId
                            + "' cannot find the ranges to split "
                            + spec.what
                            + " at "
                            + JdbcSinkFactory.mask(spec.url)
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private void onPlanned(List<JdbcSplit> splits, Throwable error) {
        if (error != null) {
            throw new FlinkRuntimeException(error.getMessage(), error);
        }
        pending.addAll(splits);
        planned = true;
        for (int subtask : waiting) {
            if (context.registeredReaders().containsKey(subtask)) {
                assign(subtask);
            }
        }
        waiting.clear();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (!planned) {
            waiting.add(subtaskId);
            return;
        }
        assign(subtaskId);
    }

    private void assign(int subtaskId) {
        JdbcSplit next = pending.poll();
        if (next != null) {
            context.assignSplit(next, subtaskId);
        } else {
            context.signalNoMoreSplits(subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<JdbcSplit> splits, int subtaskId) {
        splits.forEach(pending::addFirst);
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers ask for splits themselves.
    }

    @Override
    public JdbcEnumeratorState snapshotState(long checkpointId) {
        return new JdbcEnumeratorState(planned, List.copyOf(pending));
    }

    @Override
    public void close() {}
}
