package dev.sluice.connectors.cdc.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;

/**
 * The bounded hand-over from Debezium's thread to the Flink source reader. Debezium blocks when it
 * is full (backpressure reaches the database log reader); the reader is woken through an
 * availability future, never by polling; a failure of the capture is handed over the same way.
 */
@Internal
final class HandoverQueue {

    /** The changes of one Debezium event and the offset Debezium gave it. */
    static final class Element {
        final List<CapturedChange> changes;
        final Map<String, ?> partition;
        final Map<String, ?> offset;

        /** Whether the event is a snapshot read ({@code r}) of a captured table. */
        final boolean snapshotRead;

        /** The 64-bit hash of the snapshot read's event id, when {@link #snapshotRead}. */
        final long readHash;

        Element(List<CapturedChange> changes, Map<String, ?> partition, Map<String, ?> offset) {
            this(changes, partition, offset, false, 0L);
        }

        Element(
                List<CapturedChange> changes,
                Map<String, ?> partition,
                Map<String, ?> offset,
                boolean snapshotRead,
                long readHash) {
            this.changes = changes;
            this.partition = partition;
            this.offset = offset;
            this.snapshotRead = snapshotRead;
            this.readHash = readHash;
        }
    }

    private final ArrayBlockingQueue<Element> queue;
    private final Object lock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private volatile Throwable failure;
    private volatile boolean closed;

    HandoverQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Hands an element over, waiting while the queue is full.
     *
     * @throws InterruptedException if the queue is closed or the thread interrupted meanwhile
     */
    void put(Element element) throws InterruptedException {
        while (!queue.offer(element, 100, TimeUnit.MILLISECONDS)) {
            if (closed) {
                throw new InterruptedException("the capture is closing");
            }
        }
        signal();
    }

    /** The next element, or {@code null}. */
    Element poll() {
        return queue.poll();
    }

    /** Records a failure of the capture; the reader throws it. The first failure wins. */
    void fail(Throwable error) {
        if (failure == null) {
            failure = error;
        }
        signal();
    }

    /** The capture's failure, if any. */
    Throwable failure() {
        return failure;
    }

    /** Stops producers waiting in {@link #put}. */
    void close() {
        closed = true;
        signal();
    }

    /** Completes when an element or a failure is there. */
    CompletableFuture<Void> availability() {
        synchronized (lock) {
            if (!queue.isEmpty() || failure != null) {
                return CompletableFuture.completedFuture(null);
            }
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
            return available;
        }
    }

    private void signal() {
        synchronized (lock) {
            available.complete(null);
        }
    }
}
