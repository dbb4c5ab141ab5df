package dev.sluice.processors.kafka;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import dev.sluice.sdk.SluiceRecord;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a record's value as Avro in Confluent wire format under a schema id registered at deploy
 * time, and keeps its key. The id is a constant of the job: no registry call ever happens here.
 */
final class ConfluentRecordSerializer
        implements KafkaRecordSerializationSchema<SluiceRecord>, KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int schemaId;
    private final String schemaJson;
    private transient ConfluentAvroEncoder encoder;

    ConfluentRecordSerializer(String topic, int schemaId, String schemaJson) {
        this.topic = topic;
        this.schemaId = schemaId;
        this.schemaJson = schemaJson;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        encoder = new ConfluentAvroEncoder(schemaId, AvroSchemas.parse(schemaJson));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            SluiceRecord record, KafkaSinkContext context, Long timestamp) {
        byte[] value = record.value() == null ? null : encoder.encode(record.value());
        return new ProducerRecord<>(topic, null, timestamp, record.key(), value);
    }

    /** Names the target topic: the pooled transaction naming strategy needs it. */
    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(
                        DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }
}
