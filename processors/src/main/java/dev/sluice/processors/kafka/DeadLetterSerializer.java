package dev.sluice.processors.kafka;

import dev.sluice.schemas.PlatformSchemas;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import dev.sluice.sdk.DeadLetter;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes dead letters as the contract's Avro dead-letter record, keyed by the original key. */
final class DeadLetterSerializer
        implements KafkaRecordSerializationSchema<DeadLetter>, KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int schemaId;
    private transient ConfluentAvroEncoder encoder;
    private transient Schema schema;

    DeadLetterSerializer(String topic, int schemaId) {
        this.topic = topic;
        this.schemaId = schemaId;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        schema = PlatformSchemas.DEAD_LETTER;
        encoder = new ConfluentAvroEncoder(schemaId, schema);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter dl, KafkaSinkContext context, Long timestamp) {
        GenericData.Record r = new GenericData.Record(schema);
        r.put("original_key", dl.originalKey == null ? null : ByteBuffer.wrap(dl.originalKey));
        r.put(
                "original_value",
                dl.originalValue == null ? null : ByteBuffer.wrap(dl.originalValue));
        r.put("source_topic", dl.sourceTopic);
        r.put("source_partition", dl.sourcePartition);
        r.put("source_offset", dl.sourceOffset);
        r.put("processor_id", dl.processorId);
        r.put("error_class", dl.errorClass);
        r.put("error_message", dl.errorMessage);
        r.put("failed_at_ms", dl.failedAtMs);
        r.put("attempt", dl.attempt);
        return new ProducerRecord<>(topic, null, timestamp, dl.originalKey, encoder.encode(r));
    }

    /** Names the target topic: the pooled transaction naming strategy needs it. */
    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(
                        DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }
}
