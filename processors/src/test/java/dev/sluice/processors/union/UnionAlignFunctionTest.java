package dev.sluice.processors.union;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.formats.avro.utils.AvroKryoSerializerUtils;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** One union input's records, brought into the union's output schema. */
class UnionAlignFunctionTest {

    private static final Schema EU =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Eu\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\","
                                    + "\"symbols\":[\"NEW\",\"PAID\"]}},"
                                    + "{\"name\":\"id\",\"type\":\"int\"},"
                                    + "{\"name\":\"name\",\"type\":\"string\"},"
                                    + "{\"name\":\"score\",\"type\":[\"null\",\"float\"],\"default\":null}]}");

    private static final Schema OUT =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"shop_all\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"status\",\"type\":\"string\"},"
                                    + "{\"name\":\"name\",\"type\":\"string\"},"
                                    + "{\"name\":\"region\",\"type\":[\"null\",\"string\"],\"default\":null},"
                                    + "{\"name\":\"score\",\"type\":[\"null\",\"double\"],\"default\":null}]}");

    private static final byte[] KEY = "order-7".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE_BYTES = {0, 0, 0, 0, 3, 2, 14};

    private static UnionAlignFunction align() {
        return new UnionAlignFunction("all", "eu", EU.toString(), OUT.toString());
    }

    /**
     * An opened harness for a fresh align function. The harness copies every output with Flink's
     * serializer for its class (Kryo for {@link SluiceRecord}), which copies Avro records only with
     * flink-avro's Kryo serializer for them registered.
     */
    private static OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness()
            throws Exception {
        OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(align());
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .addDefaultKryoSerializer(
                        GenericData.Record.class,
                        AvroKryoSerializerUtils.AvroGenericRecordSerializer.class);
        return harness;
    }

    private static GenericRecord eu(int id, String status, String name, Float score) {
        GenericRecord r = new GenericData.Record(EU);
        r.put("status", new GenericData.EnumSymbol(EU.getField("status").schema(), status));
        r.put("id", id);
        r.put("name", name == null ? null : new Utf8(name));
        r.put("score", score);
        return r;
    }

    private static SluiceRecord fromKafka(long offset, GenericRecord value) {
        return SluiceRecord.fromKafka("eu.orders", 2, offset, 5_000L + offset, KEY, VALUE_BYTES)
                .withValue(value);
    }

    private static List<DeadLetter> deadLetters(
            OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness) {
        Queue<StreamRecord<DeadLetter>> queue = harness.getSideOutput(DeadLetters.TAG);
        List<DeadLetter> result = new ArrayList<>();
        if (queue != null) {
            queue.forEach(r -> result.add(r.getValue()));
        }
        return result;
    }

    @Test
    void testValuesAreMappedIntoTheOutputSchema() throws Exception {
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness = harness()) {
            harness.processElement(fromKafka(41L, eu(7, "PAID", "Ann", 1.5f)), 5_041L);
            harness.processElement(fromKafka(42L, eu(8, "NEW", "Bob", null)), 5_042L);

            List<SluiceRecord> out = harness.extractOutputValues();
            assertThat(out).hasSize(2);
            GenericRecord first = out.get(0).value();
            assertThat(first.getSchema()).isEqualTo(OUT);
            assertThat(first.get("id")).isEqualTo(7L);
            assertThat(first.get("status")).isEqualTo(new Utf8("PAID"));
            assertThat(first.get("name")).isEqualTo(new Utf8("Ann"));
            assertThat(first.get("region")).isNull();
            assertThat(first.get("score")).isEqualTo(1.5d);

            GenericData.Record expected = new GenericData.Record(OUT);
            expected.put("id", 8L);
            expected.put("status", new Utf8("NEW"));
            expected.put("name", new Utf8("Bob"));
            expected.put("region", null);
            expected.put("score", null);
            assertThat(out.get(1).value()).isEqualTo(expected);
            assertThat(GenericData.get().validate(OUT, out.get(1).value())).isTrue();
            assertThat(deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testKeyTimestampAndOriginAreKept() throws Exception {
        SluiceRecord in = fromKafka(41L, eu(7, "PAID", "Ann", 1.5f));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness = harness()) {
            harness.processElement(in, 5_041L);

            SluiceRecord out = harness.extractOutputValues().get(0);
            assertThat(out.key()).isEqualTo(KEY);
            assertThat(out.timestamp()).isEqualTo(5_041L);
            assertThat(out.sourceTopic()).isEqualTo("eu.orders");
            assertThat(out.sourcePartition()).isEqualTo(2);
            assertThat(out.sourceOffset()).isEqualTo(41L);
            assertThat(out.sourceKey()).isEqualTo(KEY);
            assertThat(out.sourceValue()).isEqualTo(VALUE_BYTES);
            assertThat(out).isEqualTo(in.withValue(out.value()));
            // the input value is not touched
            assertThat(in.value().getSchema()).isEqualTo(EU);
            assertThat(in.value().get("id")).isEqualTo(7);
        }
    }

    @Test
    void testTombstonePassesThrough() throws Exception {
        SluiceRecord tombstone = SluiceRecord.fromKafka("eu.orders", 2, 50L, 6_000L, KEY, null);
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness = harness()) {
            harness.processElement(tombstone, 6_000L);
            // the harness copies outputs, so equality stands in for identity
            assertThat(harness.extractOutputValues()).containsExactly(tombstone);
            assertThat(deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testNullInARequiredFieldIsDeadLettered() throws Exception {
        SluiceRecord bad = fromKafka(43L, eu(9, "NEW", null, null));
        SluiceRecord good = fromKafka(44L, eu(10, "NEW", "Cy", null));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness = harness()) {
            harness.processElement(bad, 5_043L);
            harness.processElement(good, 5_044L);

            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(harness.extractOutputValues().get(0).value().get("id")).isEqualTo(10L);
            List<DeadLetter> dead = deadLetters(harness);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).processorId).isEqualTo("all");
            assertThat(dead.get(0).errorClass).isEqualTo("java.lang.IllegalArgumentException");
            assertThat(dead.get(0).errorMessage)
                    .isEqualTo("field 'name' is null, but the union's output requires a value");
            assertThat(dead.get(0).sourceTopic).isEqualTo("eu.orders");
            assertThat(dead.get(0).sourceOffset).isEqualTo(43L);
        }
    }

    @Test
    void testValueOfTheWrongRuntimeTypeIsDeadLettered() throws Exception {
        GenericRecord value = eu(1, "NEW", "Di", null);
        value.put("id", new Utf8("one"));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness = harness()) {
            harness.processElement(fromKafka(45L, value), 5_045L);

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(deadLetters(harness))
                    .singleElement()
                    .extracting(d -> d.errorMessage)
                    .isEqualTo("field 'id' should hold a number, got Utf8 one");
        }
    }

    @Test
    void testRecordOfAnotherSchemaIsMappedByNameOrDeadLettered() throws Exception {
        Schema reordered =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Eu\",\"namespace\":\"test\",\"fields\":["
                                        + "{\"name\":\"name\",\"type\":\"string\"},"
                                        + "{\"name\":\"id\",\"type\":\"long\"},"
                                        + "{\"name\":\"status\",\"type\":\"string\"},"
                                        + "{\"name\":\"region\",\"type\":\"string\"}]}");
        GenericRecord evolved = new GenericData.Record(reordered);
        evolved.put("name", new Utf8("Ed"));
        evolved.put("id", 11L);
        evolved.put("status", new Utf8("PAID"));
        evolved.put("region", new Utf8("west"));
        Schema misfit =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Eu\",\"namespace\":\"test\",\"fields\":["
                                        + "{\"name\":\"id\",\"type\":\"string\"},"
                                        + "{\"name\":\"status\",\"type\":\"string\"},"
                                        + "{\"name\":\"name\",\"type\":\"string\"}]}");
        GenericRecord wrong = new GenericData.Record(misfit);
        wrong.put("id", new Utf8("x"));
        wrong.put("status", new Utf8("NEW"));
        wrong.put("name", new Utf8("Fa"));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness = harness()) {
            harness.processElement(fromKafka(46L, evolved), 5_046L);
            harness.processElement(fromKafka(47L, wrong), 5_047L);
            harness.processElement(fromKafka(48L, eu(12, "NEW", "Gu", 2.0f)), 5_048L);

            List<SluiceRecord> out = harness.extractOutputValues();
            assertThat(out).hasSize(2);
            GenericData.Record expected = new GenericData.Record(OUT);
            expected.put("id", 11L);
            expected.put("status", new Utf8("PAID"));
            expected.put("name", new Utf8("Ed"));
            expected.put("region", new Utf8("west"));
            expected.put("score", null);
            assertThat(out.get(0).value()).isEqualTo(expected);
            assertThat(out.get(1).value().get("id")).isEqualTo(12L);
            assertThat(out.get(1).value().get("score")).isEqualTo(2.0d);
            assertThat(deadLetters(harness))
                    .singleElement()
                    .extracting(d -> d.errorMessage)
                    .isEqualTo(
                            "field 'id' of a record from 'eu' is string, which does not fit the"
                                    + " union's long");
        }
    }
}
