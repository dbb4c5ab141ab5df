package dev.sluice.connectors.sink;

import dev.sluice.sdk.SluiceRecord;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Fails the job once, on the first record after {@code checkpoints} checkpoints completed, so the
 * job restarts from a checkpoint with records behind it already committed and records after it to
 * replay. State is static: the instance after the restart must know the failure happened.
 */
public final class FailOnceAfterCheckpoints
        implements MapFunction<SluiceRecord, SluiceRecord>, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static final AtomicLong COMPLETED = new AtomicLong();
    private final long checkpoints;

    public FailOnceAfterCheckpoints(long checkpoints) {
        this.checkpoints = checkpoints;
    }

    /** Arms the failure for the next job. */
    public static void reset() {
        FAILED.set(false);
        COMPLETED.set(0);
    }

    /** Whether the job failed (and so was restored). */
    public static boolean failed() {
        return FAILED.get();
    }

    @Override
    public SluiceRecord map(SluiceRecord record) {
        if (COMPLETED.get() >= checkpoints && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException(
                    "injected failure after " + checkpoints + " checkpoints");
        }
        return record;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        COMPLETED.incrementAndGet();
    }
}
