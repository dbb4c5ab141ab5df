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
 *
 * <p>Debezium's initial snapshot is not resumable: restored while it was in progress, Debezium
 * reads every row again. While the offset marks the snapshot in progress, the reader therefore
 * keeps the hashes of the snapshot reads it emitted ({@link SnapshotReadSet}, checkpointed with the
 * offset) and drops a snapshot read whose hash it already has: an unchanged row has the same
 * content-based event id, a row changed meanwhile a new one and is emitted. Once the snapshot is
 * complete (see {@link #snapshotInProgress}) or a streamed change arrives, the set is cleared and
 * checkpoints carry none of it.
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
    private SnapshotReadSet snapshotReads = new SnapshotReadSet();
    private long droppedReads;

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
        snapshotReads = SnapshotReadSet.of(split.snapshotReads());
        if (!snapshotReads.isEmpty()) {
            LOG.info(
                    "change capture of {} restored during its initial snapshot: the {} rows"
                            + " already emitted are not emitted again when read unchanged",
                    spec.name(),
                    snapshotReads.size());
        }
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
        boolean inSnapshot = element.offset != null && snapshotInProgress(element.offset);
        boolean emit = true;
        if (element.snapshotRead && inSnapshot) {
            emit = snapshotReads.add(element.readHash);
            if (!emit) {
                droppedReads++;
            }
        }
        if (emit) {
            for (CapturedChange change : element.changes) {
                output.collect(change, change.timestamp);
            }
        }
        if ((element.offset != null && !inSnapshot)
                || (!element.snapshotRead && !element.changes.isEmpty())) {
            snapshotComplete();
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
        return List.of(new CdcSplit(partition, offset, capture.history(), snapshotReads.toArray()));
    }

    /**
     * Whether a Debezium offset marks the initial snapshot as in progress, i.e. a restore from it
     * makes Debezium snapshot again. Debezium 3.5 (PostgreSQL's {@code PostgresOffsetContext},
     * MySQL/MariaDB's {@code BinlogOffsetContext}) puts {@code snapshot} (the snapshot type, e.g.
     * {@code INITIAL}; {@code true} in older versions) in the offsets of snapshot records only, and
     * on loading treats {@code last_snapshot_record = true} or {@code snapshot_completed = true} as
     * a finished snapshot.
     */
    static boolean snapshotInProgress(Map<String, ?> offset) {
        Object snapshot = offset.get("snapshot");
        if (snapshot == null
                || Boolean.FALSE.equals(snapshot)
                || "false".equalsIgnoreCase(snapshot.toString())) {
            return false;
        }
        return !isTrue(offset.get("last_snapshot_record"))
                && !isTrue(offset.get("snapshot_completed"));
    }

    private static boolean isTrue(Object value) {
        return value != null
                && (Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(value.toString()));
    }

    private void snapshotComplete() {
        if (snapshotReads.isEmpty() && droppedReads == 0) {
            return;
        }
        LOG.info(
                "initial snapshot of {} complete; {} rows read again after a restore were not"
                        + " emitted twice",
                spec.name(),
                droppedReads);
        snapshotReads.clear();
        droppedReads = 0;
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
