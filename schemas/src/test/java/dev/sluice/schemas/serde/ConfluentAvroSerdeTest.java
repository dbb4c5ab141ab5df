package dev.sluice.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.schemas.PlatformSchemas;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.registry.SchemaRegistryServer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

    private static final Schema V1 =
            AvroSchemas.parse(
                    "{\"type\":\"record\",\"name\":\"User\",\"fields\":["
                            + "{\"name\":\"id\",\"type\":\"long\"},"
                            + "{\"name\":\"name\",\"type\":\"string\"}]}");
    private static final Schema V2 =
            AvroSchemas.parse(
                    "{\"type\":\"record\",\"name\":\"User\",\"fields\":["
                            + "{\"name\":\"id\",\"type\":\"long\"},"
                            + "{\"name\":\"name\",\"type\":\"string\"},"
                            + "{\"name\":\"country\",\"type\":\"string\",\"default\":\"NL\"}]}");

    @Test
    void roundTripWithConfluentFraming() {
        ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(258, V1);
        byte[] bytes = encoder.encode(user(V1, 7, "ada"));

        assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0, 0, 0, 1, 2);
        assertThat(ConfluentWireFormat.schemaIdOf(bytes)).isEqualTo(258);

        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(V1, lookup(Map.of(258, V1)));
        GenericRecord decoded = decoder.decode(bytes);
        assertThat(decoded).isEqualTo(user(V1, 7, "ada"));
        assertThat(decoded.get("name")).isEqualTo(new Utf8("ada"));
    }

    @Test
    void encoderReusesItsBufferAcrossRecords() {
        ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(1, V1);
        byte[] first = encoder.encode(user(V1, 1, "a-long-name-to-grow-the-buffer"));
        byte[] second = encoder.encode(user(V1, 2, "b"));
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(V1, lookup(Map.of(1, V1)));
        assertThat(decoder.decode(first)).isEqualTo(user(V1, 1, "a-long-name-to-grow-the-buffer"));
        assertThat(decoder.decode(second)).isEqualTo(user(V1, 2, "b"));
    }

    @Test
    void evolvesWriterV1ToReaderV2WithTheDefault() {
        byte[] bytes = new ConfluentAvroEncoder(1, V1).encode(user(V1, 7, "ada"));
        GenericRecord decoded = new ConfluentAvroDecoder(V2, lookup(Map.of(1, V1))).decode(bytes);
        assertThat(decoded.getSchema()).isEqualTo(V2);
        assertThat(decoded.get("id")).isEqualTo(7L);
        assertThat(decoded.get("country")).isEqualTo(new Utf8("NL"));
    }

    @Test
    void nullReaderSchemaKeepsTheWriterSchema() {
        byte[] bytes = new ConfluentAvroEncoder(2, V2).encode(user(V2, 1, "x"));
        GenericRecord decoded = new ConfluentAvroDecoder(null, lookup(Map.of(2, V2))).decode(bytes);
        assertThat(decoded.getSchema()).isEqualTo(V2);
    }

    @Test
    void nullStaysNull() {
        assertThat(new ConfluentAvroEncoder(1, V1).encode(null)).isNull();
        assertThat(new ConfluentAvroDecoder(V1, lookup(Map.of())).decode(null)).isNull();
    }

    @Test
    void looksUpEachWriterIdOnceOverManyRecords() {
        AtomicInteger calls = new AtomicInteger();
        Map<Integer, Schema> registry = Map.of(1, V1, 2, V2);
        ConfluentAvroDecoder decoder =
                new ConfluentAvroDecoder(
                        V2,
                        id -> {
                            calls.incrementAndGet();
                            return registry.get(id);
                        });
        ConfluentAvroEncoder v1 = new ConfluentAvroEncoder(1, V1);
        ConfluentAvroEncoder v2 = new ConfluentAvroEncoder(2, V2);
        for (int i = 0; i < 1000; i++) {
            assertThat(decoder.decode(v1.encode(user(V1, i, "n"))).get("id")).isEqualTo((long) i);
            assertThat(decoder.decode(v2.encode(user(V2, i, "n"))).get("id")).isEqualTo((long) i);
        }
        assertThat(calls).hasValue(2);
    }

    @Test
    void wrongMagicByte() {
        byte[] json = "{\"id\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(V1, lookup(Map.of(1, V1)));
        assertThatThrownBy(() -> decoder.decode(json))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("not Confluent wire format: expected magic byte 0, got 0x7b");
    }

    @Test
    void tooShort() {
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(V1, lookup(Map.of(1, V1)));
        assertThatThrownBy(() -> decoder.decode(new byte[] {0, 0, 1}))
                .isInstanceOf(WireFormatException.class)
                .hasMessage(
                        "payload too short (3 bytes): Confluent wire format needs at least 5"
                                + " (magic byte 0 and a 4-byte schema id)");
        assertThatThrownBy(() -> ConfluentWireFormat.schemaIdOf(new byte[0]))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("payload too short (0 bytes)");
    }

    @Test
    void unknownIdFromNullLookup() {
        byte[] bytes = new ConfluentAvroEncoder(42, V1).encode(user(V1, 1, "a"));
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(V1, lookup(Map.of()));
        assertThatThrownBy(() -> decoder.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("unknown schema id 42");
    }

    @Test
    void unknownIdFromTheRegistryAndRegistryOutagesDiffer() {
        byte[] bytes = new ConfluentAvroEncoder(42, V1).encode(user(V1, 1, "a"));
        try (SchemaRegistryServer server = SchemaRegistryServer.builder().port(0).build().start()) {
            HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());
            ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(V1, client::getById);
            assertThatThrownBy(() -> decoder.decode(bytes))
                    .isInstanceOf(WireFormatException.class)
                    .hasMessageStartingWith("unknown schema id 42 (Schema 42 not found (HTTP 404");

            int id = client.register("users-value", V1);
            byte[] good = new ConfluentAvroEncoder(id, V1).encode(user(V1, 5, "e"));
            assertThat(decoder.decode(good).get("id")).isEqualTo(5L);

            server.close();
            // a registry that does not answer is not the record's fault: no WireFormatException
            assertThatThrownBy(() -> decoder.decode(bytes))
                    .isInstanceOf(SchemaRegistryException.class)
                    .isNotInstanceOf(WireFormatException.class);
            // already-seen ids keep decoding without the registry
            assertThat(decoder.decode(good).get("id")).isEqualTo(5L);
        }
    }

    @Test
    void corruptPayload() {
        byte[] good = new ConfluentAvroEncoder(7, V1).encode(user(V1, 1, "abcdef"));
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(V1, lookup(Map.of(7, V1)));

        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        assertThatThrownBy(() -> decoder.decode(truncated))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("corrupt Avro payload for schema id 7: ");

        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        assertThatThrownBy(() -> decoder.decode(trailing))
                .isInstanceOf(WireFormatException.class)
                .hasMessage(
                        "corrupt Avro payload for schema id 7: bytes left over after the record");

        // a string length of -1 (zig-zag 0x01) right after the long
        byte[] negativeLength =
                ByteBuffer.allocate(7).put(new byte[] {0, 0, 0, 0, 7, 2, 1}).array();
        assertThatThrownBy(() -> decoder.decode(negativeLength))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith("corrupt Avro payload for schema id 7: ");

        // the decoder is still usable afterwards
        assertThat(decoder.decode(good)).isEqualTo(user(V1, 1, "abcdef"));
    }

    @Test
    void writerSchemaTheReaderCannotRead() {
        Schema other =
                AvroSchemas.parse(
                        "{\"type\":\"record\",\"name\":\"User\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"string\"}]}");
        GenericRecord record = new GenericData.Record(other);
        record.put("id", "x");
        byte[] bytes = new ConfluentAvroEncoder(3, other).encode(record);
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(V1, lookup(Map.of(3, other)));
        assertThatThrownBy(() -> decoder.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageStartingWith(
                        "schema id 3 (User) cannot be read with reader schema User: ")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1: name");
    }

    @Test
    void encoderRejectsRecordsOfAnotherSchemaOrInvalidRecords() {
        ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(1, V1);
        assertThatThrownBy(() -> encoder.encode(user(V2, 1, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "record of schema User does not match the encoder's schema User (id 1):"
                                + " build records with the registered schema");
        GenericRecord missingName = new GenericData.Record(V1);
        missingName.put("id", 1L);
        assertThatThrownBy(() -> encoder.encode(missingName))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot encode record with schema User (id 1): ")
                .hasMessageContaining("name");
        // the failed record left nothing behind
        byte[] next = encoder.encode(user(V1, 3, "c"));
        assertThat(new ConfluentAvroDecoder(V1, lookup(Map.of(1, V1))).decode(next))
                .isEqualTo(user(V1, 3, "c"));
    }

    @Test
    void deadLetterRoundTrip() {
        GenericRecord letter = new GenericData.Record(PlatformSchemas.DEAD_LETTER);
        letter.put("original_key", null);
        letter.put("original_value", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        letter.put("source_topic", "orders");
        letter.put("source_partition", 3);
        letter.put("source_offset", 99L);
        letter.put("processor_id", "filter-1");
        letter.put("error_class", "java.lang.IllegalStateException");
        letter.put("error_message", "boom");
        letter.put("failed_at_ms", 1_700_000_000_000L);
        letter.put("attempt", 1);
        byte[] bytes = new ConfluentAvroEncoder(9, PlatformSchemas.DEAD_LETTER).encode(letter);
        GenericRecord decoded =
                new ConfluentAvroDecoder(
                                PlatformSchemas.DEAD_LETTER,
                                lookup(Map.of(9, PlatformSchemas.DEAD_LETTER)))
                        .decode(bytes);
        assertThat(decoded.get("source_offset")).isEqualTo(99L);
        assertThat(decoded.get("original_key")).isNull();
        assertThat(decoded.get("error_message")).isEqualTo(new Utf8("boom"));
    }

    private static GenericRecord user(Schema schema, long id, String name) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", id);
        record.put("name", new Utf8(name));
        if (schema.getField("country") != null) {
            record.put("country", new Utf8("NL"));
        }
        return record;
    }

    private static Function<Integer, Schema> lookup(Map<Integer, Schema> schemas) {
        return new HashMap<>(schemas)::get;
    }
}
