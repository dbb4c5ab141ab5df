package dev.sluice.connectors.cdc.internal;

import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.debezium.DebeziumException;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.engine.spi.OffsetCommitPolicy;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Debezium engine (the asynchronous embedded engine of Debezium 3) feeding a {@link
 * HandoverQueue}.
 *
 * <p>Offsets: the engine starts from the offset restored from Flink state (through {@link
 * FlinkStateOffsetBackingStore}). The change consumer never marks records processed itself, so
 * Debezium never tells the database on its own that a position is done; {@link #commit(Map)} does,
 * when the offset of a completed checkpoint is durable: it marks that offset processed through the
 * engine's record committer and finishes the batch (commit policy: always), which makes the
 * connector flush the LSN to the PostgreSQL slot. A restore therefore always finds its WAL.
 */
@Internal
final class DebeziumCapture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DebeziumCapture.class);

    private final CaptureSpec spec;
    private final HandoverQueue queue;
    private final String instanceId = UUID.randomUUID().toString();
    private final CaptureRegistry.CaptureState state;
    private final ExecutorService engineThread;
    private final ExecutorService commitThread;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer;
    private volatile RecordChangeEvent<SourceRecord> lastEvent;
    private volatile boolean closing;

    DebeziumCapture(
            CaptureSpec spec,
            Map<String, Object> partition,
            Map<String, Object> offset,
            List<String> history,
            HandoverQueue queue) {
        this.spec = spec;
        this.queue = queue;
        this.state = new CaptureRegistry.CaptureState(partition, offset, history);
        String thread = "sluice-cdc-" + spec.name();
        this.engineThread = Executors.newSingleThreadExecutor(r -> daemon(r, thread));
        this.commitThread = Executors.newSingleThreadExecutor(r -> daemon(r, thread + "-commit"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts the engine in its own thread. */
    void start() {
        LOG.info(
                "change capture of {} planned at log position {}, registering new schema"
                        + " versions at {}",
                spec.name(),
                spec.planPosition(),
                spec.registryUrl());
        CaptureRegistry.register(instanceId, state);
        Properties props = new Properties();
        props.putAll(spec.debeziumProperties());
        props.setProperty("connector.class", spec.kind().connectorClass());
        props.setProperty("offset.storage", FlinkStateOffsetBackingStore.class.getName());
        props.setProperty(FlinkStateOffsetBackingStore.INSTANCE, instanceId);
        if (spec.kind().historized()) {
            props.setProperty("schema.history.internal", FlinkStateSchemaHistory.class.getName());
            props.setProperty(FlinkStateSchemaHistory.INSTANCE, instanceId);
        }
        ChangeEncoder encoder =
                new ChangeEncoder(
                        spec.kind(),
                        spec.routes(),
                        spec.planPosition(),
                        spec.registryUrl() == null
                                ? null
                                : new HttpSchemaRegistryClient(spec.registryUrl()));
        ClassLoader classLoader = DebeziumCapture.class.getClassLoader();
        engine =
                DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                        .using(props)
                        .using(classLoader)
                        .using(OffsetCommitPolicy.always())
                        .using((DebeziumEngine.CompletionCallback) this::completed)
                        .notifying(new Consumer(encoder))
                        .build();
        engineThread.execute(
                () -> {
                    Thread.currentThread().setContextClassLoader(classLoader);
                    engine.run();
                });
    }

    private void completed(boolean success, String message, Throwable error) {
        if (closing) {
            return;
        }
        String reason = error != null ? rootMessage(error) : message;
        queue.fail(
                new IllegalStateException(
                        spec.kind().product()
                                + " change capture of "
                                + spec.name()
                                + " stopped: "
                                + (reason == null ? "the engine ended" : reason),
                        error));
    }

    static String rootMessage(Throwable error) {
        Throwable t = error;
        String message = t.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? error.toString() : message;
    }

    /**
     * Tells Debezium that {@code offset} is durable (a completed checkpoint holds it): the
     * connector acknowledges it to the database (the PostgreSQL slot advances). Asynchronous; a
     * failed acknowledgement is retried by the next checkpoint.
     */
    void commit(Map<String, ?> offset) {
        if (offset == null || closing) {
            return;
        }
        commitThread.execute(
                () -> {
                    DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> c = committer;
                    RecordChangeEvent<SourceRecord> event = lastEvent;
                    if (c == null || event == null || closing) {
                        return;
                    }
                    try {
                        DebeziumEngine.Offsets offsets = c.buildOffsets();
                        offset.forEach(offsets::set);
                        c.markProcessed(event, offsets);
                        c.markBatchFinished();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "acknowledging a checkpointed offset to {} failed; the next"
                                        + " checkpoint retries",
                                spec.name(),
                                e);
                    }
                });
    }

    /** The schema history records so far (MySQL/MariaDB), for the checkpoint. */
    List<String> history() {
        return state.history();
    }

    @Override
    public void close() {
        closing = true;
        queue.close();
        commitThread.shutdownNow();
        if (engine != null) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    engine.close();
                    break;
                } catch (IllegalStateException e) {
                    // "tasks are starting": the engine refuses to stop mid-start; wait for it.
                    if (e.getMessage() == null
                            || !e.getMessage().contains("starting")
                            || System.nanoTime() > deadline) {
                        break;
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                } catch (IOException e) {
                    LOG.warn("closing the change capture of {} failed", spec.name(), e);
                    break;
                }
            }
        }
        engineThread.shutdown();
        try {
            if (!engineThread.awaitTermination(2, TimeUnit.MINUTES)) {
                engineThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engineThread.shutdownNow();
        }
        CaptureRegistry.unregister(instanceId);
    }

    /** Encodes each event and hands it over; records are marked processed only by commit(). */
    private final class Consumer
            implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
        private final ChangeEncoder encoder;

        Consumer(ChangeEncoder encoder) {
            this.encoder = encoder;
        }

        @Override
        public void handleBatch(
                List<RecordChangeEvent<SourceRecord>> records,
                DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> c)
                throws InterruptedException {
            committer = c;
            for (RecordChangeEvent<SourceRecord> event : records) {
                SourceRecord record = event.record();
                List<CapturedChange> changes;
                try {
                    changes = encoder.encode(record);
                } catch (RuntimeException e) {
                    queue.fail(e);
                    throw new DebeziumException(e.getMessage(), e);
                }
                lastEvent = event;
                queue.put(
                        new HandoverQueue.Element(
                                changes,
                                record.sourcePartition(),
                                record.sourceOffset(),
                                encoder.lastWasRead(),
                                encoder.lastReadHash()));
            }
        }

        @Override
        public boolean supportsTombstoneEvents() {
            return false;
        }
    }
}
