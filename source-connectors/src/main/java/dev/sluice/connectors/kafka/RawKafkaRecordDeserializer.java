package dev.sluice.connectors.kafka;

import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a Kafka record into an undecoded {@link SluiceRecord} and nothing more. Decoding happens in
 * the chained {@link AvroDecodeFunction}, which can dead-letter what it cannot decode; a
 * deserialization schema cannot, and a failure here would fail the job.
 */
final class RawKafkaRecordDeserializer implements KafkaRecordDeserializationSchema<SluiceRecord> {
    private static final long serialVersionUID = 1L;

    private final TypeInformation<SluiceRecord> type;
    private final String topic;
    private final String replayTopic;

    RawKafkaRecordDeserializer(
            TypeInformation<SluiceRecord> type, String topic, String replayTopic) {
        this.type = type;
        this.topic = topic;
        this.replayTopic = replayTopic;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SluiceRecord> out) {
        if (record.topic().equals(replayTopic)) {
            replayed(record, out);
            return;
        }
        out.collect(
                SluiceRecord.fromKafka(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.key(),
                        record.value()));
    }

    /**
     * A dead letter replayed into the pipeline: only the records of this source's topic are its
     * own, and they keep the origin of the record that first failed.
     */
    private void replayed(ConsumerRecord<byte[], byte[]> record, Collector<SluiceRecord> out) {
        if (!topic.equals(header(record, DeadLetters.HEADER_TOPIC))) {
            return;
        }
        out.collect(
                SluiceRecord.replayed(
                        topic,
                        parseInt(header(record, DeadLetters.HEADER_PARTITION), -1),
                        parseLong(header(record, DeadLetters.HEADER_OFFSET)),
                        record.timestamp(),
                        record.key(),
                        record.value(),
                        parseInt(header(record, DeadLetters.HEADER_ATTEMPT), 1)));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long parseLong(String s) {
        try {
            return s == null ? -1L : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }

    @Override
    public TypeInformation<SluiceRecord> getProducedType() {
        return type;
    }
}
