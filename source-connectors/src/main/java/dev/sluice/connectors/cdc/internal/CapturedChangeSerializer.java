package dev.sluice.connectors.cdc.internal;

import java.util.List;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each captured change to its table's topic as it is (the bytes were encoded at the
 * capture), on partition 0: source-fronting topics have one partition so a table's changes keep
 * their log order.
 */
@Internal
public final class CapturedChangeSerializer
        implements KafkaRecordSerializationSchema<CapturedChange>, KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;

    private final List<String> topics;

    public CapturedChangeSerializer(List<String> topics) {
        this.topics = List.copyOf(topics);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            CapturedChange change, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(change.topic, 0, change.timestamp, change.key, change.value);
    }

    /** Names the topics written: the pooled transaction naming strategy needs them. */
    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(topics)));
    }
}
