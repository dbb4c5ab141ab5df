package dev.sluice.processors.kafka;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import dev.sluice.sdk.SluiceRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Writes a record's value as Avro in Confluent wire format under a schema id registered at deploy
 * time, and keeps its key. The id is a constant of the job: no registry call ever happens here.
 * Each record carries the pipeline and the node that produced it in the headers {@value
 * #PIPELINE_HEADER} and {@value #NODE_HEADER} (lineage a consumer can see on the record itself).
 */
final class ConfluentRecordSerializer
        implements KafkaRecordSerializationSchema<SluiceRecord>, KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;

    /** Header naming the pipeline that wrote the record. */
    static final String PIPELINE_HEADER = "sluice.pipeline";

    /** Header naming the node (processor or source) whose output the record is. */
    static final String NODE_HEADER = "sluice.node";

    private final String topic;
    private final int schemaId;
    private final String schemaJson;
    private final String pipeline;
    private final String node;
    private transient ConfluentAvroEncoder encoder;
    private transient List<Header> headers;

    ConfluentRecordSerializer(
            String topic, int schemaId, String schemaJson, String pipeline, String node) {
        this.topic = topic;
        this.schemaId = schemaId;
        this.schemaJson = schemaJson;
        this.pipeline = pipeline;
        this.node = node;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        encoder = new ConfluentAvroEncoder(schemaId, AvroSchemas.parse(schemaJson));
        headers =
                List.of(
                        new RecordHeader(
                                PIPELINE_HEADER, pipeline.getBytes(StandardCharsets.UTF_8)),
                        new RecordHeader(NODE_HEADER, node.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            SluiceRecord record, KafkaSinkContext context, Long timestamp) {
        byte[] value = record.value() == null ? null : encoder.encode(record.value());
        return new ProducerRecord<>(topic, null, timestamp, record.key(), value, headers);
    }

    /** Names the target topic: the pooled transaction naming strategy needs it. */
    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(
                new DefaultKafkaDatasetFacet(
                        DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }
}
