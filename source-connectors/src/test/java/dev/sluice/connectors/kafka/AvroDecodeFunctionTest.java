package dev.sluice.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.registry.SchemaRegistryServer;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.formats.avro.utils.AvroKryoSerializerUtils;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decoding Kafka values against a real (in-memory) schema registry: framed Avro into the reader
 * schema, everything undecodable to dead letters under the source's id.
 */
class AvroDecodeFunctionTest {

    private static final Schema V1 =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"}]}");

    private static final Schema V2 =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"},"
                                    + "{\"name\":\"channel\",\"type\":\"string\",\"default\":\"web\"}]}");

    private static final String NODE_ID = "orders-src";
    private static final byte[] KEY = "order-1".getBytes(StandardCharsets.UTF_8);

    private static SchemaRegistryServer registry;
    private static int v1Id;
    private static int v2Id;

    @BeforeAll
    static void startRegistry() {
        registry = SchemaRegistryServer.builder().port(0).build().start();
        v1Id = registry.store().register("orders-value", V1).id();
        v2Id = registry.store().register("orders-value", V2).id();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness(
            String registryUrl, Schema reader) throws Exception {
        OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new AvroDecodeFunction(NODE_ID, registryUrl, reader.toString()));
        // The harness copies outputs with Kryo, which copies Avro records only with flink-avro's
        // Kryo serializer for them registered.
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .addDefaultKryoSerializer(
                        GenericData.Record.class,
                        AvroKryoSerializerUtils.AvroGenericRecordSerializer.class);
        return harness;
    }

    private static List<DeadLetter> deadLetters(
            OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness) {
        Queue<StreamRecord<DeadLetter>> queue = harness.getSideOutput(DeadLetters.TAG);
        List<DeadLetter> out = new ArrayList<>();
        if (queue != null) {
            queue.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private static GenericRecord v1(long id, String customer) {
        GenericRecord r = new GenericData.Record(V1);
        r.put("id", id);
        r.put("customer", customer);
        return r;
    }

    private static SluiceRecord raw(long offset, byte[] value) {
        return SluiceRecord.fromKafka("orders", 1, offset, 10_000L + offset, KEY, value);
    }

    private static DeadLetter onlyDeadLetterOf(byte[] value) throws Exception {
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(registry.url(), V1)) {
            harness.processElement(raw(7L, value), 10_007L);

            assertThat(harness.extractOutputValues()).isEmpty();
            List<DeadLetter> dead = deadLetters(harness);
            assertThat(dead).hasSize(1);
            DeadLetter dl = dead.get(0);
            assertThat(dl.processorId).isEqualTo(NODE_ID);
            assertThat(dl.errorClass).isEqualTo("dev.sluice.schemas.serde.WireFormatException");
            assertThat(dl.sourceTopic).isEqualTo("orders");
            assertThat(dl.sourcePartition).isEqualTo(1);
            assertThat(dl.sourceOffset).isEqualTo(7L);
            assertThat(dl.originalKey).isEqualTo(KEY);
            assertThat(dl.originalValue).isEqualTo(value);
            assertThat(dl.attempt).isEqualTo(1);
            return dl;
        }
    }

    @Test
    void testFramedRecordDecodesIntoTheReaderSchema() throws Exception {
        GenericRecord value = v1(1, "ann");
        byte[] bytes = new ConfluentAvroEncoder(v1Id, V1).encode(value);
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(registry.url(), V1)) {
            harness.processElement(raw(5L, bytes), 10_005L);
            harness.processElement(raw(6L, bytes), 10_006L);

            List<SluiceRecord> out = harness.extractOutputValues();
            assertThat(out).hasSize(2);
            SluiceRecord first = out.get(0);
            assertThat(first.value()).isEqualTo(value);
            assertThat(first.value().getSchema()).isEqualTo(V1);
            assertThat(first.key()).isEqualTo(KEY);
            assertThat(first.sourceTopic()).isEqualTo("orders");
            assertThat(first.sourcePartition()).isEqualTo(1);
            assertThat(first.sourceOffset()).isEqualTo(5L);
            assertThat(first.timestamp()).isEqualTo(10_005L);
            assertThat(first.sourceValue()).isEqualTo(bytes);
            assertThat(out.get(1).sourceOffset()).isEqualTo(6L);
            assertThat(deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testOlderWriterSchemaIsResolvedToTheReaderWithDefaults() throws Exception {
        byte[] bytes = new ConfluentAvroEncoder(v1Id, V1).encode(v1(2, "bob"));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(registry.url(), V2)) {
            harness.processElement(raw(8L, bytes), 10_008L);

            GenericRecord decoded = harness.extractOutputValues().get(0).value();
            assertThat(decoded.getSchema()).isEqualTo(V2);
            assertThat(decoded.get("id")).isEqualTo(2L);
            assertThat(decoded.get("customer").toString()).isEqualTo("bob");
            assertThat(decoded.get("channel").toString()).isEqualTo("web");
            assertThat(deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testWriterAndReaderOfTheSameNewVersion() throws Exception {
        GenericRecord value = new GenericData.Record(V2);
        value.put("id", 3L);
        value.put("customer", "cy");
        value.put("channel", "app");
        byte[] bytes = new ConfluentAvroEncoder(v2Id, V2).encode(value);
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(registry.url(), V2)) {
            harness.processElement(raw(9L, bytes), 10_009L);

            assertThat(harness.extractOutputValues().get(0).value()).isEqualTo(value);
        }
    }

    @Test
    void testBytesThatAreNotConfluentFramingAreDeadLettered() throws Exception {
        DeadLetter dl = onlyDeadLetterOf("hello world".getBytes(StandardCharsets.UTF_8));

        assertThat(dl.errorMessage)
                .isEqualTo("not Confluent wire format: expected magic byte 0, got 0x68");
    }

    @Test
    void testPayloadShorterThanTheHeaderIsDeadLettered() throws Exception {
        DeadLetter dl = onlyDeadLetterOf(new byte[] {0, 0});

        assertThat(dl.errorMessage)
                .isEqualTo(
                        "payload too short (2 bytes): Confluent wire format needs at least 5"
                                + " (magic byte 0 and a 4-byte schema id)");
    }

    @Test
    void testUnknownSchemaIdIsDeadLettered() throws Exception {
        byte[] body = new ConfluentAvroEncoder(v1Id, V1).encode(v1(1, "ann"));
        byte[] bytes = Arrays.copyOf(body, body.length);
        // schema id 9999 = 0x0000270F
        bytes[1] = 0;
        bytes[2] = 0;
        bytes[3] = 0x27;
        bytes[4] = 0x0F;

        DeadLetter dl = onlyDeadLetterOf(bytes);

        assertThat(dl.errorMessage)
                .isEqualTo(
                        "unknown schema id 9999 (Schema 9999 not found (HTTP 404, error code"
                                + " 40403, GET "
                                + registry.url()
                                + "/schemas/ids/9999))");
    }

    @Test
    void testTruncatedPayloadIsDeadLettered() throws Exception {
        byte[] full = new ConfluentAvroEncoder(v1Id, V1).encode(v1(1, "a-long-customer-name"));
        byte[] truncated = Arrays.copyOf(full, full.length - 4);

        DeadLetter dl = onlyDeadLetterOf(truncated);

        assertThat(dl.errorMessage)
                .isEqualTo("corrupt Avro payload for schema id " + v1Id + ": EOFException");
    }

    @Test
    void testTrailingBytesAreDeadLettered() throws Exception {
        byte[] full = new ConfluentAvroEncoder(v1Id, V1).encode(v1(1, "ann"));
        byte[] longer = Arrays.copyOf(full, full.length + 3);

        DeadLetter dl = onlyDeadLetterOf(longer);

        assertThat(dl.errorMessage)
                .isEqualTo(
                        "corrupt Avro payload for schema id "
                                + v1Id
                                + ": bytes left over after the record");
    }

    @Test
    void testTombstonePassesThrough() throws Exception {
        SluiceRecord tombstone = raw(11L, null);
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(registry.url(), V1)) {
            harness.processElement(tombstone, 10_011L);

            assertThat(harness.extractOutputValues()).containsExactly(tombstone);
            assertThat(harness.extractOutputValues().get(0).value()).isNull();
            assertThat(deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testBadRecordDoesNotStopTheGoodOnesAfterIt() throws Exception {
        byte[] good = new ConfluentAvroEncoder(v1Id, V1).encode(v1(1, "ann"));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(registry.url(), V1)) {
            harness.processElement(raw(1L, new byte[] {1, 2, 3, 4, 5, 6}), 10_001L);
            harness.processElement(raw(2L, good), 10_002L);

            assertThat(harness.extractOutputValues())
                    .extracting(SluiceRecord::sourceOffset)
                    .containsExactly(2L);
            assertThat(deadLetters(harness)).extracting(dl -> dl.sourceOffset).containsExactly(1L);
        }
    }

    /**
     * Evidence of a bug: a registry that cannot be reached is a failure of the job, not of the
     * record ({@code ConfluentAvroDecoder} propagates it as a {@link SchemaRegistryException}
     * precisely so that callers fail and restart), but {@code AvroDecodeFunction} catches every
     * {@link RuntimeException} and dead-letters the record, so during a registry outage every
     * record of a not-yet-seen schema id is dead-lettered and the job goes on.
     */
    @Test
    void testUnreachableRegistryFailsInsteadOfDeadLettering() throws Exception {
        String deadUrl;
        try (SchemaRegistryServer stopped =
                SchemaRegistryServer.builder().port(0).build().start()) {
            deadUrl = stopped.url();
        }
        byte[] bytes = new ConfluentAvroEncoder(v1Id, V1).encode(v1(1, "ann"));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(deadUrl, V1)) {
            assertThatThrownBy(() -> harness.processElement(raw(1L, bytes), 10_001L))
                    .isInstanceOf(SchemaRegistryException.class);
            assertThat(deadLetters(harness)).isEmpty();
        }
    }
}
