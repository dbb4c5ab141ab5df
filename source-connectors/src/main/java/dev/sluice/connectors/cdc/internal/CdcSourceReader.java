package dev.sluice.connectors.cdc.internal;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the capture for the split it is given and emits its changes in log order.
 *
 * <p>Exactly-once hinges on three things happening in the reader's (mailbox) thread: a change is
 * emitted and the position after it recorded in one step, so the position a checkpoint stores is
 * exactly that of the last change before the barrier; the position of each checkpoint is remembered
 * until the checkpoint completes; and only then is it acknowledged to the database ({@link
 * DebeziumCapture#commit}), so a restore from that checkpoint always finds its log.
 */
@Internal
final class CdcSourceReader implements SourceReader<CapturedChange, CdcSplit> {
    static final int QUEUE_CAPACITY = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(CdcSourceReader.class);

    private final CaptureSpec spec;
    private final HandoverQueue queue = new HandoverQueue(QUEUE_CAPACITY);
    private final NavigableMap<Long, Map<String, ?>> pendingCommits = new TreeMap<>();
    private DebeziumCapture capture;
    private Map<String, ?> partition;
    private Map<String, ?> offset;

    CdcSourceReader(CaptureSpec spec) {
        this.spec = spec;
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<CdcSplit> splits) {
        if (splits.isEmpty()) {
            return;
        }
        if (capture != null || splits.size() > 1) {
            throw new IllegalStateException(
                    "a change capture reads one split; got " + splits.size() + " more");
        }
        CdcSplit split = splits.get(0);
        if (split.offset() == null) {
            LOG.info("starting change capture of {} from scratch", spec.name());
        } else {
            LOG.info(
                    "resuming change capture of {} at {} ({} schema history records)",
                    spec.name(),
                    split.offset(),
                    split.history().size());
        }
        partition = split.partition();
        offset = split.offset();
        capture =
                new DebeziumCapture(
                        spec, split.partition(), split.offset(), split.history(), queue);
        capture.start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<CapturedChange> output) throws Exception {
        HandoverQueue.Element element = queue.poll();
        if (element == null) {
            Throwable failure = queue.failure();
            if (failure != null) {
                if (failure instanceof Exception) {
                    throw (Exception) failure;
                }
                throw new IllegalStateException(failure.getMessage(), failure);
            }
            return InputStatus.NOTHING_AVAILABLE;
        }
        for (CapturedChange change : element.changes) {
            output.collect(change, change.timestamp);
        }
        if (element.offset != null) {
            partition = element.partition;
            offset = element.offset;
        }
        return InputStatus.MORE_AVAILABLE;
    }

    @Override
    public List<CdcSplit> snapshotState(long checkpointId) {
        if (capture == null) {
            return List.of();
        }
        pendingCommits.put(checkpointId, offset);
        return List.of(new CdcSplit(partition, offset, capture.history()));
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return queue.availability();
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Map.Entry<Long, Map<String, ?>> done = pendingCommits.floorEntry(checkpointId);
        if (done == null) {
            return;
        }
        pendingCommits.headMap(checkpointId, true).clear();
        if (capture != null) {
            capture.commit(done.getValue());
        }
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) {
        pendingCommits.remove(checkpointId);
    }

    @Override
    public void close() {
        if (capture != null) {
            capture.close();
        }
    }
}
