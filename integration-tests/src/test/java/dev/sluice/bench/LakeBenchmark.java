package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.controller.runtime.PlatformConfig;
import dev.sluice.controller.runtime.SluicePlatform;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.testing.db.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Lake figures on the embedded platform:
 *
 * <ul>
 *   <li>batch move: a PostgreSQL table (a real server, embedded binaries) read by the {@code jdbc}
 *       source and appended to an Iceberg table by one batch run; rows/s over the run's recorded
 *       start and end, and the data files of the resulting snapshot;
 *   <li>streaming: a backlog of small Avro records in a topic appended to an Iceberg table by a
 *       streaming pipeline (exactly once, one commit per checkpoint); rows/s from the job's RUNNING
 *       timestamp until the table holds every row, the number of commits and the data files each
 *       adds.
 * </ul>
 *
 * <p>Run with {@code bench/lake.sh [rows]}; results go to {@code target/bench/lake.json}. Not a
 * test: figures vary with the machine.
 */
public final class LakeBenchmark {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CHECKPOINT_INTERVAL = "PT2S";

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path out = Path.of(args.length > 1 ? args[1] : "target/bench/lake.json");
        try (PostgresServer pg = PostgresServer.start()) {
            pg.createDatabase("bench");
            long loadStart = System.nanoTime();
            pg.execute(
                    "bench",
                    "CREATE ROLE reader LOGIN PASSWORD 'secret'",
                    "CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL, price"
                            + " NUMERIC(10,2), created_at TIMESTAMPTZ NOT NULL)",
                    "INSERT INTO items (id, name, price, created_at) SELECT g, 'item-' || g, (g %"
                            + " 1000) / 10.0, now() - g * interval '1 second' FROM"
                            + " generate_series(1, "
                            + rows
                            + ") g",
                    "GRANT SELECT ON items TO reader",
                    "ANALYZE items");
            System.out.printf(
                    Locale.ROOT,
                    "loaded %,d rows in %.1f s%n",
                    rows,
                    (System.nanoTime() - loadStart) / 1e9);
            Path dir = Files.createTempDirectory("sluice-bench-lake");
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
                HadoopCatalog catalog = catalog(dir);

                // 1. Batch move: PostgreSQL -> Iceberg, one run.
                BenchPlatform.apply(
                        platform,
                        "bench-batch",
                        "{\"name\": \"bench-batch\", \"mode\": \"batch\", \"sources\": [{\"id\":"
                                + " \"items\", \"type\": \"jdbc\", \"config\": {\"url\": \""
                                + pg.jdbcUrl("bench")
                                + "\", \"username\": \"reader\", \"password\":"
                                + " \"${env:BENCH_PG}\", \"table\": \"items\"}}], \"sinks\":"
                                + " [{\"id\": \"lake\", \"type\": \"iceberg\", \"inputs\":"
                                + " [\"items\"], \"config\": {\"table\": \"bench.items\","
                                + " \"write\": \"append\"}}]}");
                JsonNode run = runOnce(platform, "bench-batch");
                double batchSeconds =
                        Duration.between(
                                                Instant.parse(run.path("startedAt").asText()),
                                                Instant.parse(run.path("endedAt").asText()))
                                        .toMillis()
                                / 1e3;
                double batchRate = rows / batchSeconds;
                double batchJobSeconds =
                        BenchPlatform.get(
                                                platform.flinkUrl()
                                                        + "/jobs/"
                                                        + run.path("jobId").asText())
                                        .path("duration")
                                        .asLong()
                                / 1e3;
                Table items = catalog.loadTable(TableIdentifier.parse("bench.items"));
                long[] content = content(items);
                System.out.printf(
                        Locale.ROOT,
                        "batch: %,d rows in %.1f s (run) = %,.0f rows/s; Flink job %.1f s;"
                                + " rowsRead %d, rowsWritten %d; table: %,d rows in %d data"
                                + " files, %d snapshot(s)%n",
                        rows,
                        batchSeconds,
                        batchRate,
                        batchJobSeconds,
                        run.path("rowsRead").asLong(),
                        run.path("rowsWritten").asLong(),
                        content[0],
                        content[1],
                        count(items.snapshots()));

                // 2. Streaming: a backlog in Kafka -> Iceberg, exactly once.
                HttpSchemaRegistryClient registry =
                        new HttpSchemaRegistryClient(platform.registryUrl());
                int id = registry.register("bench.orders-value", FilterProjectBenchmark.ORDER);
                FilterProjectBenchmark.produce(platform.bootstrapServers(), id, rows);
                System.out.printf(Locale.ROOT, "produced %,d records%n", rows);
                long runningAt =
                        BenchPlatform.apply(
                                platform,
                                "bench-stream",
                                "{\"name\": \"bench-stream\", \"sources\": [{\"id\": \"orders\","
                                        + " \"type\": \"kafka\", \"config\": {\"topic\":"
                                        + " \"bench.orders\"}}], \"sinks\": [{\"id\": \"lake\","
                                        + " \"type\": \"iceberg\", \"inputs\": [\"orders\"],"
                                        + " \"config\": {\"table\": \"bench.orders\", \"write\":"
                                        + " \"append\"}}], \"options\": {\"checkpointInterval\":"
                                        + " \""
                                        + CHECKPOINT_INTERVAL
                                        + "\"}}");
                Table orders = awaitRows(catalog, "bench.orders", rows);
                double streamingSeconds = (System.currentTimeMillis() - runningAt) / 1e3;
                double streamingRate = rows / streamingSeconds;
                int commits = 0;
                long filesTotal = 0;
                long filesMax = 0;
                for (Snapshot s : orders.snapshots()) {
                    long added = Long.parseLong(s.summary().getOrDefault("added-data-files", "0"));
                    commits++;
                    filesTotal += added;
                    filesMax = Math.max(filesMax, added);
                }
                double filesAvg = commits == 0 ? 0 : (double) filesTotal / commits;
                System.out.printf(
                        Locale.ROOT,
                        "streaming: %,d rows in %.1f s = %,.0f rows/s; %d commits, data files"
                                + " per commit avg %.2f, max %d (%d in all)%n",
                        rows,
                        streamingSeconds,
                        streamingRate,
                        commits,
                        filesAvg,
                        filesMax,
                        filesTotal);

                String json =
                        String.format(
                                Locale.ROOT,
                                "{\"date\": \"%s\", \"rows\": %d, \"batchRowsPerSecond\": %.0f,"
                                        + " \"batchSeconds\": %.1f, \"batchJobSeconds\": %.1f,"
                                        + " \"batchRowsRead\": %d, \"batchRowsWritten\": %d,"
                                        + " \"batchTableRows\": %d, \"batchDataFiles\": %d,"
                                        + " \"streamingRowsPerSecond\": %.0f,"
                                        + " \"streamingSeconds\": %.1f, \"commits\": %d,"
                                        + " \"dataFilesPerCommitAvg\": %.2f,"
                                        + " \"dataFilesPerCommitMax\": %d,"
                                        + " \"checkpointInterval\": \"%s\", \"delivery\":"
                                        + " \"exactly-once\", \"taskSlots\": 4}%n",
                                Instant.now(),
                                rows,
                                batchRate,
                                batchSeconds,
                                batchJobSeconds,
                                run.path("rowsRead").asLong(),
                                run.path("rowsWritten").asLong(),
                                content[0],
                                content[1],
                                streamingRate,
                                streamingSeconds,
                                commits,
                                filesAvg,
                                filesMax,
                                CHECKPOINT_INTERVAL);
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

    private static HadoopCatalog catalog(Path dataDir) {
        HadoopCatalog catalog = new HadoopCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize(
                "bench",
                Map.of("warehouse", dataDir.resolve("warehouse").toAbsolutePath().toString()));
        return catalog;
    }

    /** Rows and data files of the table's current snapshot, from its scan plan. */
    private static long[] content(Table table) throws Exception {
        long records = 0;
        long files = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                records += task.file().recordCount();
                files++;
            }
        }
        return new long[] {records, files};
    }

    private static int count(Iterable<?> items) {
        int n = 0;
        for (Object ignored : items) {
            n++;
        }
        return n;
    }

    /** Polls the table's current snapshot every 200 ms until it holds {@code expected} rows. */
    private static Table awaitRows(HadoopCatalog catalog, String name, long expected)
            throws Exception {
        TableIdentifier id = TableIdentifier.parse(name);
        Table table = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (table == null && catalog.tableExists(id)) {
                table = catalog.loadTable(id);
            }
            if (table != null) {
                table.refresh();
                Snapshot current = table.currentSnapshot();
                if (current != null
                        && Long.parseLong(current.summary().getOrDefault("total-records", "0"))
                                >= expected) {
                    return table;
                }
            }
            Thread.sleep(200); // polling the table with a deadline
        }
        throw new IllegalStateException(name + " did not reach " + expected + " rows");
    }

    /** Starts a run of a batch pipeline and returns the run once it is no longer RUNNING. */
    private static JsonNode runOnce(SluicePlatform platform, String name) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                platform.apiUrl()
                                                        + "/api/v1/pipelines/"
                                                        + name
                                                        + "/runs"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("run failed to start: " + r.body());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode runs =
                    BenchPlatform.get(platform.apiUrl() + "/api/v1/pipelines/" + name + "/runs");
            if (runs.size() > 0) {
                JsonNode latest = runs.get(0);
                String state = latest.path("state").asText();
                if (state.equals("FINISHED")) {
                    return latest;
                }
                if (!state.equals("RUNNING")) {
                    throw new IllegalStateException("run did not finish: " + latest);
                }
            }
            Thread.sleep(200); // polling the controller with a deadline
        }
        throw new IllegalStateException("run of " + name + " did not finish");
    }

    private LakeBenchmark() {}
}
