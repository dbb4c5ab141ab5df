package dev.sluice.bench;

import dev.sluice.controller.runtime.PlatformConfig;
import dev.sluice.controller.runtime.SluicePlatform;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Fused against per-processor execution of the same three-processor stateless chain (filter →
 * project → filter), exactly once, parallelism 1, on the embedded platform:
 *
 * <ul>
 *   <li>throughput: input records/s over a backlog, from the first job's RUNNING timestamp until
 *       every expected output record is committed;
 *   <li>latency: at a steady input rate, the time from a record's produce timestamp to when a
 *       read_committed consumer of the output receives it (p50, p99).
 * </ul>
 *
 * Run with {@code bench/isolation.sh [records] [rate] [seconds]}; results go to {@code
 * target/bench/isolation.json}. Not a test: figures vary with the machine.
 */
public final class IsolationBenchmark {

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path out = Path.of(args.length > 3 ? args[3] : "target/bench/isolation.json");
        Path dir = Files.createTempDirectory("sluice-bench-isolation");
        SluicePlatform platform =
                SluicePlatform.start(
                        PlatformConfig.builder()
                                .dataDir(dir)
                                .apiPort(0)
                                .flinkPort(0)
                                .registryPort(0)
                                .kafkaPort(0)
                                .taskSlots(8)
                                .build());
        try {
            HttpSchemaRegistryClient registry =
                    new HttpSchemaRegistryClient(platform.registryUrl());
            int id = registry.register("bench.orders-value", FilterProjectBenchmark.ORDER);
            long expected =
                    FilterProjectBenchmark.produce(platform.bootstrapServers(), id, records);
            System.out.printf("produced %,d records (%,d pass the chain)%n", records, expected);

            // Warm the JIT with one run of each, then measure one of each.
            throughput(platform, "warm-fused", "bench.orders", "fused", expected);
            throughput(platform, "warm-isolated", "bench.orders", "per-processor", expected);
            double fused = throughput(platform, "tp-fused", "bench.orders", "fused", expected);
            double isolated =
                    throughput(platform, "tp-isolated", "bench.orders", "per-processor", expected);

            long[] fusedLatency = latency(platform, registry, "lat-fused", "fused", rate, seconds);
            long[] isolatedLatency =
                    latency(platform, registry, "lat-isolated", "per-processor", rate, seconds);

            String json =
                    String.format(
                            Locale.ROOT,
                            "{\"date\": \"%s\", \"records\": %d, \"passing\": %d,"
                                    + " \"chain\": \"filter -> project -> filter\","
                                    + " \"fusedRecordsPerSecond\": %.0f,"
                                    + " \"perProcessorRecordsPerSecond\": %.0f,"
                                    + " \"fusedVsPerProcessor\": %.2f,"
                                    + " \"latencyRatePerSecond\": %d, \"latencySeconds\": %d,"
                                    + " \"fusedLatencyP50Ms\": %d, \"fusedLatencyP99Ms\": %d,"
                                    + " \"perProcessorLatencyP50Ms\": %d,"
                                    + " \"perProcessorLatencyP99Ms\": %d,"
                                    + " \"checkpointInterval\": \"PT2S\","
                                    + " \"delivery\": \"exactly-once\", \"parallelism\": 1}%n",
                            Instant.now(),
                            records,
                            expected,
                            fused,
                            isolated,
                            fused / isolated,
                            rate,
                            seconds,
                            fusedLatency[0],
                            fusedLatency[1],
                            isolatedLatency[0],
                            isolatedLatency[1]);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, json);
            System.out.print(json);
            System.out.println("written to " + out.toAbsolutePath());
        } finally {
            platform.close();
        }
        System.exit(0);
    }

    private static String pipeline(String name, String topic, String isolation) {
        return "{\"name\": \""
                + name
                + "\", \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\", \"config\":"
                + " {\"topic\": \""
                + topic
                + "\"}}], \"processors\": ["
                + "{\"id\": \"paid\", \"type\": \"filter\", \"inputs\": [\"orders\"],"
                + " \"config\": {\"condition\": \"status = 'PAID'\"}},"
                + " {\"id\": \"slim\", \"type\": \"project\", \"inputs\": [\"paid\"], \"config\":"
                + " {\"fields\": {\"order_id\": \"id\", \"customer\": \"UPPER(customer)\","
                + " \"amount\": \"amount\"}}},"
                + " {\"id\": \"large\", \"type\": \"filter\", \"inputs\": [\"slim\"],"
                + " \"config\": {\"condition\": \"amount >= 10\"}}],"
                + " \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\": [\"large\"],"
                + " \"config\": {\"topic\": \"bench.out."
                + name
                + "\"}}], \"options\": {\"isolation\": \""
                + isolation
                + "\"}}";
    }

    private static double throughput(
            SluicePlatform platform, String name, String topic, String isolation, long expected)
            throws Exception {
        long runningAtMs = BenchPlatform.apply(platform, name, pipeline(name, topic, isolation));
        BenchPlatform.awaitCommitted(platform.bootstrapServers(), "bench.out." + name, expected);
        double secs = (System.currentTimeMillis() - runningAtMs) / 1e3;
        long inputs = FilterProjectBenchmark.countInput(platform.bootstrapServers());
        double perSecond = inputs / secs;
        System.out.printf(
                Locale.ROOT,
                "%s (%s): %,d input records in %.1f s = %,.0f records/s%n",
                name,
                isolation,
                inputs,
                secs,
                perSecond);
        BenchPlatform.delete(platform, name);
        return perSecond;
    }

    /** p50 and p99 of produce → committed-output latency at a steady rate, in ms. */
    private static long[] latency(
            SluicePlatform platform,
            HttpSchemaRegistryClient registry,
            String name,
            String isolation,
            int rate,
            int seconds)
            throws Exception {
        String topic = "bench.latency." + name;
        int id = registry.register(topic + "-value", FilterProjectBenchmark.ORDER);
        BenchPlatform.apply(platform, name, pipeline(name, topic, isolation));
        String bootstrap = platform.bootstrapServers();
        Properties cp = new Properties();
        cp.put("bootstrap.servers", bootstrap);
        cp.put("isolation.level", "read_committed");
        cp.put("key.deserializer", ByteArrayDeserializer.class.getName());
        cp.put("value.deserializer", ByteArrayDeserializer.class.getName());
        Properties pp = new Properties();
        pp.put("bootstrap.servers", bootstrap);
        pp.put("key.serializer", ByteArraySerializer.class.getName());
        pp.put("value.serializer", ByteArraySerializer.class.getName());
        pp.put("linger.ms", "0");
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(id, FilterProjectBenchmark.ORDER);
        int total = rate * seconds;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
            TopicPartition tp = new TopicPartition("bench.out." + name, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            GenericRecord r = new GenericData.Record(FilterProjectBenchmark.ORDER);
            long start = System.nanoTime();
            long intervalNanos = 1_000_000_000L / rate;
            int sent = 0;
            while (sent < total || latencies.size() < total) {
                long due = start + sent * intervalNanos;
                while (sent < total && System.nanoTime() >= due) {
                    // Every record passes the chain, so each produces exactly one output.
                    r.put("id", (long) sent);
                    r.put("customer", "ada");
                    r.put("amount", 50.0);
                    r.put("status", "PAID");
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    null,
                                    System.currentTimeMillis(),
                                    Long.toString(sent).getBytes(StandardCharsets.UTF_8),
                                    encoder.encode(r)));
                    sent++;
                    due = start + sent * intervalNanos;
                }
                for (ConsumerRecord<byte[], byte[]> out : consumer.poll(Duration.ofMillis(5))) {
                    latencies.add(System.currentTimeMillis() - out.timestamp());
                }
                if (System.nanoTime() - start > Duration.ofSeconds(seconds + 120).toNanos()) {
                    throw new IllegalStateException(
                            "only " + latencies.size() + " of " + total + " outputs arrived");
                }
            }
        }
        BenchPlatform.delete(platform, name);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99)));
        System.out.printf(
                Locale.ROOT,
                "%s (%s): %d records at %d/s: latency p50 %d ms, p99 %d ms%n",
                name,
                isolation,
                sorted.size(),
                rate,
                p50,
                p99);
        return new long[] {p50, p99};
    }

    private IsolationBenchmark() {}
}
