package dev.sluice.processors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.serde.ConfluentAvroDecoder;
import dev.sluice.schemas.serde.ConfluentWireFormat;
import dev.sluice.sdk.SluiceRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Values go out as Confluent-framed Avro under the registered id; keys go out unchanged. */
class ConfluentRecordSerializerTest {

    private static final Schema ORDER =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"},"
                                    + "{\"name\":\"amount\",\"type\":[\"null\",\"int\"],\"default\":null}]}");

    private static final String TOPIC = "orders.paid";
    private static final int SCHEMA_ID = 7;
    private static final byte[] KEY = "order-1".getBytes(StandardCharsets.UTF_8);

    private static ConfluentRecordSerializer opened() {
        ConfluentRecordSerializer serializer =
                new ConfluentRecordSerializer(
                        TOPIC, SCHEMA_ID, ORDER.toString(), "paid-orders", "slim");
        // open() only builds the encoder from the id and the schema text: no context needed
        serializer.open(null, null);
        return serializer;
    }

    private static GenericRecord order(long id, String customer, Integer amount) {
        GenericRecord r = new GenericData.Record(ORDER);
        r.put("id", id);
        r.put("customer", customer);
        r.put("amount", amount);
        return r;
    }

    private static GenericRecord decode(byte[] value) {
        return new ConfluentAvroDecoder(ORDER, id -> id == SCHEMA_ID ? ORDER : null).decode(value);
    }

    @Test
    void testValueIsConfluentFramedAvroUnderTheGivenIdAndKeyIsUnchanged() {
        GenericRecord value = order(1, "ann", 12);
        SluiceRecord record =
                SluiceRecord.fromKafka("orders", 0, 5L, 1_000L, KEY, new byte[] {9})
                        .withValue(value);

        ProducerRecord<byte[], byte[]> out = opened().serialize(record, null, 1_234L);

        assertThat(out.topic()).isEqualTo(TOPIC);
        assertThat(out.partition()).isNull();
        assertThat(out.timestamp()).isEqualTo(1_234L);
        assertThat(out.key()).isSameAs(KEY);
        assertThat(out.key()).isEqualTo("order-1".getBytes(StandardCharsets.UTF_8));
        assertThat(Arrays.copyOf(out.value(), 5)).containsExactly(0, 0, 0, 0, 7);
        assertThat(ConfluentWireFormat.schemaIdOf(out.value())).isEqualTo(SCHEMA_ID);
        assertThat(
                        new String(
                                out.headers().lastHeader("sluice.pipeline").value(),
                                StandardCharsets.UTF_8))
                .isEqualTo("paid-orders");
        assertThat(
                        new String(
                                out.headers().lastHeader("sluice.node").value(),
                                StandardCharsets.UTF_8))
                .isEqualTo("slim");
        GenericRecord decoded = decode(out.value());
        assertThat(decoded).isEqualTo(value);
        assertThat(decoded.get("id")).isEqualTo(1L);
        assertThat(decoded.get("customer").toString()).isEqualTo("ann");
        assertThat(decoded.get("amount")).isEqualTo(12);
    }

    @Test
    void testNullFieldsAndNullKeyRoundTrip() {
        GenericRecord value = order(2, "bob", null);

        ProducerRecord<byte[], byte[]> out =
                opened().serialize(SluiceRecord.of(null, value, 1L), null, null);

        assertThat(out.key()).isNull();
        assertThat(out.timestamp()).isNull();
        assertThat(decode(out.value())).isEqualTo(value);
    }

    @Test
    void testEveryRecordIsEncodedOnItsOwn() {
        ConfluentRecordSerializer serializer = opened();
        GenericRecord first = order(1, "a-much-longer-customer-name", 1);
        GenericRecord second = order(2, "b", 2);

        byte[] firstBytes = serializer.serialize(SluiceRecord.of(KEY, first, 1L), null, 1L).value();
        byte[] secondBytes =
                serializer.serialize(SluiceRecord.of(KEY, second, 2L), null, 2L).value();

        assertThat(decode(firstBytes)).isEqualTo(first);
        assertThat(decode(secondBytes)).isEqualTo(second);
    }

    @Test
    void testTombstoneHasANullValueAndKeepsTheKey() {
        SluiceRecord tombstone = SluiceRecord.fromKafka("orders", 0, 6L, 1_000L, KEY, null);

        ProducerRecord<byte[], byte[]> out = opened().serialize(tombstone, null, 1_000L);

        assertThat(out.topic()).isEqualTo(TOPIC);
        assertThat(out.key()).isEqualTo(KEY);
        assertThat(out.value()).isNull();
    }

    @Test
    void testDatasetFacetNamesTheTopic() {
        ConfluentRecordSerializer serializer =
                new ConfluentRecordSerializer(
                        TOPIC, SCHEMA_ID, ORDER.toString(), "paid-orders", "slim");

        assertThat(serializer.getKafkaDatasetFacet()).isPresent();
        assertThat(serializer.getKafkaDatasetFacet().get().getTopicIdentifier().getTopics())
                .containsExactly(TOPIC);
    }

    @Test
    void testSurvivesJavaSerializationAsFlinkShipsIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(
                    new ConfluentRecordSerializer(
                            TOPIC, SCHEMA_ID, ORDER.toString(), "paid-orders", "slim"));
        }
        ConfluentRecordSerializer copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ConfluentRecordSerializer) in.readObject();
        }
        copy.open(null, null);
        GenericRecord value = order(3, "cy", 3);

        ProducerRecord<byte[], byte[]> out =
                copy.serialize(SluiceRecord.of(KEY, value, 1L), null, 1L);

        assertThat(out.topic()).isEqualTo(TOPIC);
        assertThat(decode(out.value())).isEqualTo(value);
    }
}
