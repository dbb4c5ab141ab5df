package dev.sluice.bench;

import dev.sluice.controller.runtime.PlatformConfig;
import dev.sluice.controller.runtime.SluicePlatform;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroDecoder;
import dev.sluice.testing.db.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Change data capture figures on the embedded platform against a real PostgreSQL: the initial
 * snapshot of a table into its source topic (rows/s, exactly once, from the capture job's RUNNING
 * timestamp until every row is committed in the topic), and change latency at a steady rate (the
 * commit time at the source, {@code __ts_ms}, to a read_committed consumer receiving the change:
 * p50, p99).
 *
 * <p>The pipeline is the capture plus a filter that keeps nothing (a pipeline needs a sink), so the
 * figures are those of the capture writing its source topic.
 *
 * <p>Run with {@code bench/cdc.sh [rows] [changes/s] [seconds]}; results go to {@code
 * target/bench/cdc.json}. Not a test.
 */
public final class CdcBenchmark {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path out = Path.of(args.length > 3 ? args[3] : "target/bench/cdc.json");
        try (PostgresServer pg = PostgresServer.start()) {
            pg.createDatabase("bench");
            pg.createReplicationRole("cdc", "secret");
            long loadStart = System.nanoTime();
            pg.execute(
                    "bench",
                    "GRANT CREATE ON DATABASE bench TO cdc",
                    "CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL, price"
                            + " NUMERIC(10,2), updated_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                    "ALTER TABLE items OWNER TO cdc",
                    "INSERT INTO items (id, name, price) SELECT g, 'item-' || g, (g % 1000) /"
                            + " 10.0 FROM generate_series(1, "
                            + rows
                            + ") g");
            System.out.printf(
                    Locale.ROOT,
                    "loaded %,d rows in %.1f s%n",
                    rows,
                    (System.nanoTime() - loadStart) / 1e9);
            Path dir = Files.createTempDirectory("sluice-bench-cdc");
            SluicePlatform platform =
                    SluicePlatform.start(
                            PlatformConfig.builder()
                                    .dataDir(dir)
                                    .apiPort(0)
                                    .flinkPort(0)
                                    .registryPort(0)
                                    .kafkaPort(0)
                                    .taskSlots(4)
                                    .secrets(name -> name.equals("BENCH_PG") ? "secret" : null)
                                    .build());
            try {
                String topic = "bench-cdc.items.public.items";
                long runningAt =
                        BenchPlatform.apply(
                                platform,
                                "bench-cdc",
                                "{\"name\": \"bench-cdc\", \"sources\": [{\"id\": \"items\","
                                        + " \"type\": \"postgres-cdc\", \"config\": {\"hostname\":"
                                        + " \"127.0.0.1\", \"port\": "
                                        + pg.port()
                                        + ", \"database\": \"bench\", \"username\": \"cdc\","
                                        + " \"password\": \"${env:BENCH_PG}\", \"tables\":"
                                        + " [\"public.items\"]}}], \"processors\": [{\"id\":"
                                        + " \"none\", \"type\": \"filter\", \"inputs\":"
                                        + " [\"items\"], \"config\": {\"condition\": \"id <"
                                        + " 0\"}}], \"sinks\": [{\"id\": \"out\", \"type\":"
                                        + " \"kafka\", \"inputs\": [\"none\"], \"config\":"
                                        + " {\"topic\": \"bench.cdc.none\"}}]}");
                BenchPlatform.awaitCommitted(platform.bootstrapServers(), topic, rows);
                double snapshotSeconds = (System.currentTimeMillis() - runningAt) / 1e3;
                double snapshotRate = rows / snapshotSeconds;
                System.out.printf(
                        Locale.ROOT,
                        "snapshot: %,d rows in %.1f s = %,.0f rows/s%n",
                        rows,
                        snapshotSeconds,
                        snapshotRate);
                long[] latency = latency(platform, pg, topic, rows, rate, seconds);
                String json =
                        String.format(
                                Locale.ROOT,
                                "{\"date\": \"%s\", \"rows\": %d, \"snapshotSeconds\": %.1f,"
                                        + " \"snapshotRowsPerSecond\": %.0f,"
                                        + " \"changesPerSecond\": %d, \"changeSeconds\": %d,"
                                        + " \"changeLatencyP50Ms\": %d, \"changeLatencyP99Ms\":"
                                        + " %d, \"checkpointInterval\": \"PT2S\", \"delivery\":"
                                        + " \"exactly-once\"}%n",
                                Instant.now(),
                                rows,
                                snapshotSeconds,
                                snapshotRate,
                                rate,
                                seconds,
                                latency[0],
                                latency[1]);
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, json);
                System.out.print(json);
                System.out.println("written to " + out.toAbsolutePath());
            } finally {
                platform.close();
            }
        }
        System.exit(0);
    }

    /** p50/p99 of source commit → consumer, for single-row inserts at {@code rate} per second. */
    private static long[] latency(
            SluicePlatform platform,
            PostgresServer pg,
            String topic,
            long startId,
            int rate,
            int seconds)
            throws Exception {
        Properties cp = new Properties();
        cp.put("bootstrap.servers", platform.bootstrapServers());
        cp.put("isolation.level", "read_committed");
        cp.put("key.deserializer", ByteArrayDeserializer.class.getName());
        cp.put("value.deserializer", ByteArrayDeserializer.class.getName());
        HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(platform.registryUrl());
        ConfluentAvroDecoder decoder = new ConfluentAvroDecoder(null, registry::getById);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        int total = rate * seconds;
        Thread writer =
                new Thread(
                        () -> {
                            try (Connection c = pg.connectAsSuperuser("bench");
                                    PreparedStatement insert =
                                            c.prepareStatement(
                                                    "INSERT INTO items (id, name, price) VALUES"
                                                            + " (?, 'new', 1.0)")) {
                                long start = System.nanoTime();
                                long interval = 1_000_000_000L / rate;
                                for (int i = 0; i < total; i++) {
                                    long due = start + i * interval;
                                    while (System.nanoTime() < due) {
                                        Thread.onSpinWait();
                                    }
                                    insert.setLong(1, startId + 1 + i);
                                    insert.executeUpdate();
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        "bench-writer");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            writer.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 120).toNanos();
            while (latencies.size() < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                    if (r.value() == null) {
                        continue;
                    }
                    long now = System.currentTimeMillis();
                    GenericRecord v = decoder.decode(r.value());
                    if ("c".equals(String.valueOf(v.get("__op")))) {
                        latencies.add(now - (Long) v.get("__ts_ms"));
                    }
                }
            }
        }
        writer.join();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99)));
        System.out.printf(
                Locale.ROOT,
                "changes: %d at %d/s: latency p50 %d ms, p99 %d ms%n",
                sorted.size(),
                rate,
                p50,
                p99);
        return new long[] {p50, p99};
    }

    private CdcBenchmark() {}
}
