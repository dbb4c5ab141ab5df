package dev.sluice.processors.kafka;

import dev.sluice.sdk.factory.Delivery;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

/**
 * Builds Flink Kafka sinks the way every Sluice writer needs them: transactional with a stable
 * per-pipeline-and-node prefix for exactly-once (pooled transactional ids, so a restarted job lists
 * and aborts its predecessor's open transactions at once), and a transaction timeout the broker
 * accepts.
 */
public final class KafkaWriters {

    /** Below the broker's default {@code transaction.max.timeout.ms} (15 minutes). */
    static final String TRANSACTION_TIMEOUT_MS = String.valueOf(10 * 60 * 1000);

    /** Builds a sink for the given serializer and guarantee. */
    public static <T> KafkaSink<T> build(
            String bootstrapServers,
            KafkaRecordSerializationSchema<T> serializer,
            Delivery delivery,
            String transactionalIdPrefix) {
        Properties props = new Properties();
        props.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        props.setProperty("linger.ms", "5");
        props.setProperty("compression.type", "lz4");
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(serializer)
                .setKafkaProducerConfig(props)
                .setDeliveryGuarantee(
                        delivery == Delivery.EXACTLY_ONCE
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                .build();
    }

    private KafkaWriters() {}
}
