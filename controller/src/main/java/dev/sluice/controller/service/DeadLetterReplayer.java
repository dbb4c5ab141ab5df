package dev.sluice.controller.service;

import dev.sluice.controller.store.PipelineStore;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroDecoder;
import dev.sluice.sdk.DeadLetters;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Re-injects a pipeline's dead letters after a fix: the original key and value bytes go to the
 * pipeline's replay topic, which its sources also read, with headers naming the record's origin and
 * how often it failed. A replayed record that fails again becomes a new dead letter with its
 * attempt count raised; each dead letter is replayed at most once (its offset is remembered), so
 * nothing loops.
 */
final class DeadLetterReplayer {
    private final String bootstrapServers;
    private final SchemaRegistryClient registry;
    private final PipelineStore store;

    DeadLetterReplayer(
            String bootstrapServers, SchemaRegistryClient registry, PipelineStore store) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
        this.store = store;
    }

    /**
     * Replays the dead letters of {@code pipeline} (of one processor, and whose error class or
     * message contains {@code reason} ignoring case, when given); returns how many.
     */
    int replay(String pipeline, String processor, String reason) {
        String needle = reason == null ? null : reason.toLowerCase(java.util.Locale.ROOT);
        String dlq = DeadLetters.topicOf(pipeline);
        String replayTopic = DeadLetters.replayTopicOf(pipeline);
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrapServers);
        c.put("isolation.level", "read_committed");
        c.put("enable.auto.commit", "false");
        c.put("key.deserializer", ByteArrayDeserializer.class.getName());
        c.put("value.deserializer", ByteArrayDeserializer.class.getName());
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("enable.idempotence", "true");
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(null, registry::getById);
        int replayed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(dlq, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(dlq, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<Integer, Set<Long>> done = new HashMap<>();
            Map<Integer, List<Long>> replayedNow = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "reading the dead-letter topic " + dlq + " took longer than 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(dlq, r.partition()))) {
                        continue;
                    }
                    Set<Long> already =
                            done.computeIfAbsent(
                                    r.partition(), k -> store.replayedDeadLetters(pipeline, k));
                    if (r.value() == null || already.contains(r.offset())) {
                        continue;
                    }
                    GenericRecord dl = decoder.decode(r.value());
                    Object topic = dl.get("source_topic");
                    if (topic == null
                            || (processor != null
                                    && !processor.equals(String.valueOf(dl.get("processor_id"))))
                            || (needle != null && !errorOf(dl).contains(needle))) {
                        continue;
                    }
                    ProducerRecord<byte[], byte[]> out =
                            new ProducerRecord<>(
                                    replayTopic,
                                    bytes(dl.get("original_key")),
                                    bytes(dl.get("original_value")));
                    header(out, DeadLetters.HEADER_TOPIC, topic);
                    header(out, DeadLetters.HEADER_PARTITION, dl.get("source_partition"));
                    header(out, DeadLetters.HEADER_OFFSET, dl.get("source_offset"));
                    header(out, DeadLetters.HEADER_ATTEMPT, dl.get("attempt"));
                    producer.send(out);
                    replayedNow
                            .computeIfAbsent(r.partition(), k -> new ArrayList<>())
                            .add(r.offset());
                    replayed++;
                }
            }
            producer.flush();
            replayedNow.forEach(
                    (partition, offsets) -> store.markReplayed(pipeline, partition, offsets));
        }
        return replayed;
    }

    private static String errorOf(GenericRecord deadLetter) {
        return (deadLetter.get("error_class") + ": " + deadLetter.get("error_message"))
                .toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean reachedEnd(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void header(ProducerRecord<byte[], byte[]> r, String name, Object value) {
        if (value != null) {
            r.headers().add(name, value.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] bytes(Object v) {
        if (v == null) {
            return null;
        }
        ByteBuffer b = ((ByteBuffer) v).duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
