package dev.sluice.processors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.PlatformSchemas;
import dev.sluice.schemas.serde.ConfluentAvroDecoder;
import dev.sluice.schemas.serde.ConfluentWireFormat;
import dev.sluice.sdk.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Dead letters go out as the contract's Avro dead-letter record, keyed by the original key. */
class DeadLetterSerializerTest {

    private static final String TOPIC = "sluice.dlq.shop";
    private static final int SCHEMA_ID = 3;
    private static final byte[] KEY = "order-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {0, 0, 0, 0, 5, 2, 6, 97, 110, 110};

    private static DeadLetterSerializer opened() {
        DeadLetterSerializer serializer = new DeadLetterSerializer(TOPIC, SCHEMA_ID);
        // open() only builds the encoder for the platform schema: no context needed
        serializer.open(null, null);
        return serializer;
    }

    private static GenericRecord decode(byte[] value) {
        return new ConfluentAvroDecoder(
                        PlatformSchemas.DEAD_LETTER,
                        id -> id == SCHEMA_ID ? PlatformSchemas.DEAD_LETTER : null)
                .decode(value);
    }

    private static DeadLetter full() {
        DeadLetter dl = new DeadLetter();
        dl.originalKey = KEY;
        dl.originalValue = VALUE;
        dl.sourceTopic = "orders";
        dl.sourcePartition = 4;
        dl.sourceOffset = 12_345_678_901L;
        dl.processorId = "only-paid";
        dl.errorClass = "dev.sluice.processors.expression.ExpressionEvaluationException";
        dl.errorMessage = "division by zero in expression \"amount / qty\"";
        dl.failedAtMs = 1_700_000_000_123L;
        dl.attempt = 2;
        return dl;
    }

    @Test
    void testEveryFieldIsWrittenAsGiven() {
        ProducerRecord<byte[], byte[]> out = opened().serialize(full(), null, 77L);

        assertThat(out.topic()).isEqualTo(TOPIC);
        assertThat(out.partition()).isNull();
        assertThat(out.timestamp()).isEqualTo(77L);
        assertThat(out.key()).isEqualTo(KEY);
        assertThat(ConfluentWireFormat.schemaIdOf(out.value())).isEqualTo(SCHEMA_ID);
        GenericRecord r = decode(out.value());
        assertThat(r.getSchema()).isEqualTo(PlatformSchemas.DEAD_LETTER);
        assertThat(r.get("original_key")).isEqualTo(ByteBuffer.wrap(KEY));
        assertThat(r.get("original_value")).isEqualTo(ByteBuffer.wrap(VALUE));
        assertThat(r.get("source_topic").toString()).isEqualTo("orders");
        assertThat(r.get("source_partition")).isEqualTo(4);
        assertThat(r.get("source_offset")).isEqualTo(12_345_678_901L);
        assertThat(r.get("processor_id").toString()).isEqualTo("only-paid");
        assertThat(r.get("error_class").toString())
                .isEqualTo("dev.sluice.processors.expression.ExpressionEvaluationException");
        assertThat(r.get("error_message").toString())
                .isEqualTo("division by zero in expression \"amount / qty\"");
        assertThat(r.get("failed_at_ms")).isEqualTo(1_700_000_000_123L);
        assertThat(r.get("attempt")).isEqualTo(2);
    }

    @Test
    void testDeadLetterWithoutSourceHasNullOrigin() {
        DeadLetter dl = new DeadLetter();
        dl.processorId = "generator";
        dl.errorClass = "java.lang.IllegalStateException";
        dl.errorMessage = "";
        dl.failedAtMs = 1L;
        dl.attempt = 1;

        ProducerRecord<byte[], byte[]> out = opened().serialize(dl, null, null);

        assertThat(out.key()).isNull();
        assertThat(out.timestamp()).isNull();
        GenericRecord r = decode(out.value());
        assertThat(r.get("original_key")).isNull();
        assertThat(r.get("original_value")).isNull();
        assertThat(r.get("source_topic")).isNull();
        assertThat(r.get("source_partition")).isNull();
        assertThat(r.get("source_offset")).isNull();
        assertThat(r.get("processor_id").toString()).isEqualTo("generator");
        assertThat(r.get("error_class").toString()).isEqualTo("java.lang.IllegalStateException");
        assertThat(r.get("error_message").toString()).isEmpty();
        assertThat(r.get("failed_at_ms")).isEqualTo(1L);
        assertThat(r.get("attempt")).isEqualTo(1);
    }

    @Test
    void testDatasetFacetNamesTheTopic() {
        assertThat(
                        new DeadLetterSerializer(TOPIC, SCHEMA_ID)
                                .getKafkaDatasetFacet()
                                .get()
                                .getTopicIdentifier()
                                .getTopics())
                .containsExactly(TOPIC);
    }
}
