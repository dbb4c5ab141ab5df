package dev.sluice.processors.testing;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.avro.generic.GenericData;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.formats.avro.utils.AvroKryoSerializerUtils;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/** Flink test harnesses for operators on {@link SluiceRecord}s. */
public final class RecordHarnesses {

    private RecordHarnesses() {}

    /**
     * An opened harness for {@code function}. The harness copies every output with Flink's
     * serializer for the output's class; for {@link SluiceRecord} that is Kryo, which copies Avro
     * records only with flink-avro's Kryo serializer for them registered.
     */
    public static OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> of(
            ProcessFunction<SluiceRecord, SluiceRecord> function) throws Exception {
        OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function);
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .addDefaultKryoSerializer(
                        GenericData.Record.class,
                        AvroKryoSerializerUtils.AvroGenericRecordSerializer.class);
        return harness;
    }

    /** The dead letters the harness's operator emitted so far, in order. */
    public static List<DeadLetter> deadLetters(
            OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness) {
        Queue<StreamRecord<DeadLetter>> queue = harness.getSideOutput(DeadLetters.TAG);
        List<DeadLetter> out = new ArrayList<>();
        if (queue != null) {
            queue.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }
}
