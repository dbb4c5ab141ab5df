package dev.sluice.processors.kafka;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.factory.Delivery;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Writes a pipeline's dead letters to its dead-letter topic with the same delivery guarantee as its
 * outputs (both commit on the same checkpoint).
 */
public final class DeadLetterSink {

    /** Adds the dead-letter writer for {@code deadLetters} to the job. */
    public static void attach(
            DataStream<DeadLetter> deadLetters,
            String topic,
            int schemaId,
            String bootstrapServers,
            Delivery delivery,
            String transactionalIdPrefix,
            String uid,
            int parallelism) {
        deadLetters
                .sinkTo(
                        KafkaWriters.build(
                                bootstrapServers,
                                new DeadLetterSerializer(topic, schemaId),
                                delivery,
                                transactionalIdPrefix))
                .name("dead letters: " + topic)
                .uid(uid)
                .setParallelism(parallelism);
    }

    private DeadLetterSink() {}
}
