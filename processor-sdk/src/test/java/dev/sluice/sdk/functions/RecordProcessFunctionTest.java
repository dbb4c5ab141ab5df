package dev.sluice.sdk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.formats.avro.utils.AvroKryoSerializerUtils;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** What a processor throws for one record dead-letters that record; the rest go on. */
class RecordProcessFunctionTest {

    private static final Schema ORDER =
            SchemaBuilder.record("Order")
                    .namespace("test")
                    .fields()
                    .requiredLong("id")
                    .requiredInt("amount")
                    .endRecord();

    private static final byte[] KEY = "order-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE_BYTES = {0, 0, 0, 0, 7, 2, 4};

    /** Passes records with a non-negative amount on; fails on negative amounts. */
    private static class RejectNegative extends RecordProcessFunction {
        private static final long serialVersionUID = 1L;
        final List<SluiceRecord> seen = new ArrayList<>();

        RejectNegative() {
            super("no-negatives");
        }

        @Override
        protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
            seen.add(record);
            int amount = (Integer) record.value().get("amount");
            if (amount < 0) {
                throw new IllegalArgumentException("amount " + amount + " is negative");
            }
            out.collect(record);
        }
    }

    private static GenericRecord order(long id, int amount) {
        GenericRecord r = new GenericData.Record(ORDER);
        r.put("id", id);
        r.put("amount", amount);
        return r;
    }

    private static SluiceRecord fromKafka(long offset, GenericRecord value) {
        return SluiceRecord.fromKafka("orders", 3, offset, 1_000L + offset, KEY, VALUE_BYTES)
                .withValue(value);
    }

    /**
     * A harness for {@code function}. The harness copies every output with Flink's serializer for
     * the output's class: for {@link SluiceRecord} that is Kryo, which copies Avro records only
     * with flink-avro's Kryo serializer for them registered.
     */
    private static OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness(
            RecordProcessFunction function) throws Exception {
        OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function);
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .addDefaultKryoSerializer(
                        GenericData.Record.class,
                        AvroKryoSerializerUtils.AvroGenericRecordSerializer.class);
        return harness;
    }

    private static List<StreamRecord<DeadLetter>> deadLetters(
            OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness) {
        Queue<StreamRecord<DeadLetter>> queue = harness.getSideOutput(DeadLetters.TAG);
        return queue == null ? List.of() : new ArrayList<>(queue);
    }

    @Test
    void testGoodRecordsPassAndNoDeadLetters() throws Exception {
        SluiceRecord first = fromKafka(42L, order(1, 10));
        SluiceRecord second = fromKafka(43L, order(2, 0));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(new RejectNegative())) {
            harness.processElement(first, 1_042L);
            harness.processElement(second, 1_043L);

            assertThat(harness.extractOutputValues()).containsExactly(first, second);
            assertThat(deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testThrowingRecordGoesToDeadLettersWithItsOrigin() throws Exception {
        SluiceRecord bad = fromKafka(42L, order(1, -5));
        SluiceRecord good = fromKafka(43L, order(2, 5));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(new RejectNegative())) {
            long before = System.currentTimeMillis();
            harness.processElement(bad, 1_042L);
            long after = System.currentTimeMillis();
            harness.processElement(good, 1_043L);

            assertThat(harness.extractOutputValues()).containsExactly(good);
            List<StreamRecord<DeadLetter>> dead = deadLetters(harness);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getTimestamp()).isEqualTo(1_042L);
            DeadLetter dl = dead.get(0).getValue();
            assertThat(dl.processorId).isEqualTo("no-negatives");
            assertThat(dl.errorClass).isEqualTo("java.lang.IllegalArgumentException");
            assertThat(dl.errorMessage).isEqualTo("amount -5 is negative");
            assertThat(dl.attempt).isEqualTo(1);
            assertThat(dl.sourceTopic).isEqualTo("orders");
            assertThat(dl.sourcePartition).isEqualTo(3);
            assertThat(dl.sourceOffset).isEqualTo(42L);
            assertThat(dl.originalKey).isEqualTo(KEY);
            assertThat(dl.originalValue).isEqualTo(VALUE_BYTES);
            assertThat(dl.failedAtMs).isBetween(before, after);
        }
    }

    @Test
    void testErrorWithoutMessageIsDescribedByItsToString() throws Exception {
        RecordProcessFunction npe =
                new RecordProcessFunction("npe") {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
                        throw new NullPointerException();
                    }
                };
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness = harness(npe)) {
            harness.processElement(fromKafka(7L, order(1, 1)), 1_007L);

            DeadLetter dl = deadLetters(harness).get(0).getValue();
            assertThat(dl.processorId).isEqualTo("npe");
            assertThat(dl.errorClass).isEqualTo("java.lang.NullPointerException");
            assertThat(dl.errorMessage).isEqualTo("java.lang.NullPointerException");
            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void testRecordWithoutSourceIsDeadLetteredWithoutPosition() throws Exception {
        SluiceRecord generated = SluiceRecord.of(KEY, order(1, -1), 5L);
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(new RejectNegative())) {
            harness.processElement(generated, 5L);

            DeadLetter dl = deadLetters(harness).get(0).getValue();
            assertThat(dl.sourceTopic).isNull();
            assertThat(dl.sourcePartition).isNull();
            assertThat(dl.sourceOffset).isNull();
            assertThat(dl.originalKey).isNull();
            assertThat(dl.originalValue).isNull();
            assertThat(dl.errorMessage).isEqualTo("amount -1 is negative");
        }
    }

    @Test
    void testTombstonePassesThroughUntouched() throws Exception {
        SluiceRecord tombstone = SluiceRecord.fromKafka("orders", 1, 9L, 2_000L, KEY, null);
        RejectNegative function = new RejectNegative();
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(function)) {
            harness.processElement(tombstone, 2_000L);

            assertThat(harness.extractOutputValues()).containsExactly(tombstone);
            SluiceRecord out = harness.extractOutputValues().get(0);
            assertThat(out.value()).isNull();
            assertThat(out.key()).isEqualTo(KEY);
            assertThat(out.sourceValue()).isNull();
            assertThat(out.sourceOffset()).isEqualTo(9L);
            assertThat(function.seen).isEmpty();
            assertThat(deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testTombstonesReachTheProcessorWhenItAsksForThem() throws Exception {
        RecordProcessFunction dropTombstones =
                new RecordProcessFunction("drop-tombstones") {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean processTombstones() {
                        return true;
                    }

                    @Override
                    protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
                        if (record.value() != null) {
                            out.collect(record);
                        }
                    }
                };
        SluiceRecord tombstone = SluiceRecord.fromKafka("orders", 1, 9L, 2_000L, KEY, null);
        SluiceRecord value = fromKafka(10L, order(1, 1));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(dropTombstones)) {
            harness.processElement(tombstone, 2_000L);
            harness.processElement(value, 2_001L);

            assertThat(harness.extractOutputValues()).containsExactly(value);
        }
    }

    /**
     * Evidence of a bug: {@code processElement} catches what {@code out.collect} throws, so a
     * failure downstream of the processor (a chained operator, the Kafka sink writer reporting a
     * failed send, or as here the output copy with Flink's plain Kryo serializer for {@link
     * SluiceRecord}) is dead-lettered as this record's fault under this processor's id, and the job
     * goes on.
     */
    @Test
    void testFailureDownstreamOfTheCollectorFailsInsteadOfDeadLettering() throws Exception {
        SluiceRecord good = fromKafka(42L, order(1, 10));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new RejectNegative())) {
            assertThatThrownBy(() -> harness.processElement(good, 1_042L))
                    .hasStackTraceContaining("UnsupportedOperationException");
            assertThat(deadLetters(harness)).isEmpty();
        }
    }
}
