package dev.sluice.connectors.kafka;

import dev.sluice.sdk.SluiceRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a Kafka record into an undecoded {@link SluiceRecord} and nothing more. Decoding happens in
 * the chained {@link AvroDecodeFunction}, which can dead-letter what it cannot decode; a
 * deserialization schema cannot, and a failure here would fail the job.
 */
final class RawKafkaRecordDeserializer implements KafkaRecordDeserializationSchema<SluiceRecord> {
    private static final long serialVersionUID = 1L;

    private final TypeInformation<SluiceRecord> type;

    RawKafkaRecordDeserializer(TypeInformation<SluiceRecord> type) {
        this.type = type;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SluiceRecord> out) {
        out.collect(
                SluiceRecord.fromKafka(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.key(),
                        record.value()));
    }

    @Override
    public TypeInformation<SluiceRecord> getProducedType() {
        return type;
    }
}
