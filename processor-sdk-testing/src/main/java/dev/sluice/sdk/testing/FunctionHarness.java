package dev.sluice.sdk.testing;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.InstantiationUtil;

/**
 * Drives one record function (typically a {@link dev.sluice.sdk.functions.RecordProcessFunction})
 * record by record in Flink's operator test harness: its outputs, its dead letters, and its state
 * across a snapshot and a restore, as after a failover.
 *
 * <pre>{@code
 * FunctionHarness harness = FunctionHarness.of(new DedupFunction("dedup"), ORDER, ORDER);
 * harness.process(order(1)).process(order(2));
 * OperatorSubtaskState checkpoint = harness.snapshot();
 * harness.restore(checkpoint);                  // a new instance, state from the checkpoint
 * harness.process(order(1));
 * assertThat(harness.outputs()).isEmpty();      // still known after the restore
 * }</pre>
 *
 * <p>Like the cluster, which deserializes functions from the job, the harness runs a serialized
 * copy of the function it is given (so a function that does not serialize fails here first), and a
 * fresh copy again on each restore. Records are copied with the record type's own serializer
 * ({@link SluiceRecordTypeInfo}), never Kryo. Records given as plain values get origin topic {@code
 * "input"}, partition 0, and offsets counting from 0, which are also their timestamps.
 */
@PublicEvolving
public final class FunctionHarness implements AutoCloseable {
    /** The origin topic of records given as plain values. */
    public static final String INPUT = "input";

    private final byte[] function;
    private final ClassLoader classLoader;
    private final TypeSerializer<SluiceRecord> inputSerializer;
    private final TypeSerializer<SluiceRecord> outputSerializer;
    private OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness;
    private long nextOffset;
    private long nextCheckpointId = 1;

    private FunctionHarness(
            byte[] function,
            ClassLoader classLoader,
            TypeSerializer<SluiceRecord> inputSerializer,
            TypeSerializer<SluiceRecord> outputSerializer) {
        this.function = function;
        this.classLoader = classLoader;
        this.inputSerializer = inputSerializer;
        this.outputSerializer = outputSerializer;
    }

    /**
     * An opened harness running a copy of {@code function}, which reads values of {@code
     * inputSchema} and emits values of {@code outputSchema}.
     *
     * @throws IllegalArgumentException if the function does not serialize
     */
    public static FunctionHarness of(
            ProcessFunction<SluiceRecord, SluiceRecord> function,
            Schema inputSchema,
            Schema outputSchema)
            throws Exception {
        Objects.requireNonNull(function, "function");
        byte[] bytes;
        try {
            bytes = InstantiationUtil.serializeObject(function);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    function.getClass().getName()
                            + " does not serialize, so no job could ship it: "
                            + e,
                    e);
        }
        ExecutionConfig config = new ExecutionConfig();
        FunctionHarness h =
                new FunctionHarness(
                        bytes,
                        function.getClass().getClassLoader(),
                        new SluiceRecordTypeInfo(inputSchema)
                                .createSerializer(config.getSerializerConfig()),
                        new SluiceRecordTypeInfo(outputSchema)
                                .createSerializer(config.getSerializerConfig()));
        h.harness = h.open(null);
        return h;
    }

    private OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> open(
            OperatorSubtaskState state) throws Exception {
        ProcessFunction<SluiceRecord, SluiceRecord> copy =
                InstantiationUtil.deserializeObject(function, classLoader);
        OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> h =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(copy), inputSerializer.duplicate());
        h.setup(outputSerializer.duplicate());
        h.initializeState(state);
        h.open();
        return h;
    }

    /** Processes a value, as the next record of the input. */
    public FunctionHarness process(GenericRecord value) throws Exception {
        return process(InputRecords.of(INPUT, nextOffset, value));
    }

    /** Processes a whole record (key, timestamp, origin; a {@code null} value is a tombstone). */
    public FunctionHarness process(SluiceRecord record) throws Exception {
        nextOffset++;
        harness.processElement(record, record.timestamp());
        return this;
    }

    /** Advances processing time, firing the processing-time timers due. */
    public FunctionHarness setProcessingTime(long time) throws Exception {
        harness.setProcessingTime(time);
        return this;
    }

    /** Advances the event-time watermark, firing the event-time timers due. */
    public FunctionHarness processWatermark(long watermark) throws Exception {
        harness.processWatermark(watermark);
        return this;
    }

    /** The values emitted since the harness was opened or restored, in order. */
    public List<GenericRecord> outputs() {
        return ProcessorRun.values(outputRecords());
    }

    /** The records emitted since the harness was opened or restored, in order. */
    public List<SluiceRecord> outputRecords() {
        return Collections.unmodifiableList(harness.extractOutputValues());
    }

    /** The dead letters emitted since the harness was opened or restored, in order. */
    public List<DeadLetter> deadLetters() {
        Queue<StreamRecord<DeadLetter>> queue = harness.getSideOutput(DeadLetters.TAG);
        List<DeadLetter> out = new ArrayList<>();
        if (queue != null) {
            queue.forEach(r -> out.add(r.getValue()));
        }
        return Collections.unmodifiableList(out);
    }

    /** Takes a checkpoint of the function's state (checkpoint ids count up from 1). */
    public OperatorSubtaskState snapshot() throws Exception {
        long id = nextCheckpointId++;
        return harness.snapshot(id, id);
    }

    /**
     * Replaces the running instance by a fresh copy of the function restored from {@code state}, as
     * after a failover; outputs and dead letters start empty again.
     */
    public FunctionHarness restore(OperatorSubtaskState state) throws Exception {
        Objects.requireNonNull(state, "state");
        harness.close();
        harness = open(state);
        return this;
    }

    /** Flink's harness underneath, for what this class does not cover (timers, metrics, ...). */
    public OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> operatorHarness() {
        return harness;
    }

    /** Closes the function (its {@code close()} runs). */
    @Override
    public void close() throws Exception {
        harness.close();
    }
}
