package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.db.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake and database sinks on the platform, read back with Iceberg's own reader and psql's
 * driver: a streaming pipeline appends to Iceberg and upserts into PostgreSQL; a batch pipeline
 * runs as a bounded job that overwrites Iceberg partitions, with its run history.
 */
class LakeAndBatchITCase {
    private static final String PASSWORD_ENV = "SLUICE_IT_PG_PASSWORD";

    @TempDir static Path dataDir;
    private static KafkaEnvironment kafka;
    private static PlatformHarness platform;
    private static PostgresServer postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
        postgres.createDatabase("shop");
        postgres.execute(
                "shop",
                "CREATE ROLE writer LOGIN PASSWORD 'secret'",
                "CREATE TABLE orders_latest (id BIGINT PRIMARY KEY, customer TEXT NOT NULL,"
                        + " amount DOUBLE PRECISION, status TEXT)",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON orders_latest TO writer");
        kafka = KafkaEnvironment.choose();
        platform =
                new PlatformHarness(dataDir, kafka)
                        .start(
                                c ->
                                        c.secrets(
                                                name ->
                                                        name.equals(PASSWORD_ENV)
                                                                ? "secret"
                                                                : System.getenv(name)));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aStreamAppendsToIcebergAndUpsertsIntoPostgres() throws Exception {
        platform.produce("it.lake.orders", Orders.SCHEMA, Orders.keys(0, 20), Orders.orders(0, 20));
        String pipeline =
                "{\"name\": \"lake\", \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\","
                        + " \"config\": {\"topic\": \"it.lake.orders\"}}], \"sinks\": ["
                        + "{\"id\": \"log\", \"type\": \"iceberg\", \"inputs\": [\"orders\"],"
                        + " \"config\": {\"table\": \"it.orders_log\"}},"
                        + " {\"id\": \"latest\", \"type\": \"jdbc\", \"inputs\": [\"orders\"],"
                        + " \"config\": {\"url\": \""
                        + postgres.jdbcUrl("shop")
                        + "\", \"username\": \"writer\", \"password\": \"${env:"
                        + PASSWORD_ENV
                        + "}\", \"table\": \"orders_latest\"}}]}";
        PlatformHarness.Response applied = platform.call("PUT", "/api/v1/pipelines/lake", pipeline);
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        platform.awaitState("lake", "RUNNING", Duration.ofSeconds(120));
        // Five orders change: the table keeps the latest of each, the log keeps every version.
        List<org.apache.avro.generic.GenericRecord> changed = Orders.orders(0, 5);
        changed.forEach(r -> r.put("amount", 1000.0 + (Long) r.get("id")));
        platform.produce("it.lake.orders", Orders.SCHEMA, Orders.keys(0, 5), changed);

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            assertThat(icebergRows("it.orders_log")).hasSize(25);
                            assertThat(postgresAmounts()).hasSize(20).containsEntry(3L, 1003.0);
                        });
        Map<Long, Double> amounts = postgresAmounts();
        for (long i = 0; i < 20; i++) {
            assertThat(amounts.get(i)).as("order " + i).isEqualTo(i < 5 ? 1000.0 + i : (double) i);
        }
        Table table = catalog().loadTable(TableIdentifier.parse("it.orders_log"));
        Snapshot current = table.currentSnapshot();
        assertThat(current.summary()).containsEntry("sluice.pipeline", "lake");
        // A batch pipeline triggered by new snapshots of the table the stream writes.
        platform.produce("it.trigger.src", Orders.SCHEMA, Orders.keys(0, 3), Orders.orders(0, 3));
        String triggered =
                "{\"name\": \"refresh\", \"mode\": \"batch\", \"trigger\": {\"on\":"
                        + " \"iceberg-snapshot\", \"table\": \"it.orders_log\"}, \"sources\":"
                        + " [{\"id\": \"src\", \"type\": \"kafka\", \"config\": {\"topic\":"
                        + " \"it.trigger.src\"}}], \"sinks\": [{\"id\": \"copy\", \"type\":"
                        + " \"kafka\", \"inputs\": [\"src\"], \"config\": {\"topic\":"
                        + " \"it.trigger.copy\"}}]}";
        PlatformHarness.Response refresh =
                platform.call("PUT", "/api/v1/pipelines/refresh", triggered);
        assertThat(refresh.status).as(refresh.body).isEqualTo(201);
        assertThat(refresh.json().path("reason").asText()).isEqualTo("waiting for its trigger");
        long[] next = {20};
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(3))
                .until(
                        () -> {
                            // Each new order makes a new snapshot of it.orders_log.
                            platform.produce(
                                    "it.lake.orders",
                                    Orders.SCHEMA,
                                    Orders.keys(next[0], next[0] + 1),
                                    Orders.orders(next[0], next[0] + 1));
                            next[0]++;
                            JsonNode runs =
                                    platform.call("GET", "/api/v1/pipelines/refresh/runs", null)
                                            .json();
                            return runs.size() > 0
                                    && runs.get(runs.size() - 1)
                                            .path("state")
                                            .asText()
                                            .equals("FINISHED");
                        });
        JsonNode firstRun = platform.call("GET", "/api/v1/pipelines/refresh/runs", null).json();
        JsonNode oldest = firstRun.get(firstRun.size() - 1);
        assertThat(oldest.path("cause").asText()).isEqualTo("trigger");
        assertThat(oldest.path("rowsWritten").asLong()).isEqualTo(3);

        // Secrets are references: the GET shows the reference, never the value.
        String body = platform.call("GET", "/api/v1/pipelines/lake", null).body;
        assertThat(body).contains("${env:" + PASSWORD_ENV + "}").doesNotContain("secret\"");
    }

    @Test
    void aBatchRunOverwritesItsPartitionsAndRecordsTheRun() throws Exception {
        platform.produce(
                "it.batch.orders", Orders.SCHEMA, Orders.keys(0, 12), Orders.orders(0, 12));
        String pipeline =
                "{\"name\": \"nightly\", \"mode\": \"batch\", \"sources\": [{\"id\": \"orders\","
                        + " \"type\": \"kafka\", \"config\": {\"topic\": \"it.batch.orders\"}}],"
                        + " \"processors\": [{\"id\": \"paid\", \"type\": \"filter\", \"inputs\":"
                        + " [\"orders\"], \"config\": {\"condition\": \"status = 'PAID'\"}}],"
                        + " \"sinks\": [{\"id\": \"lake\", \"type\": \"iceberg\", \"inputs\":"
                        + " [\"paid\"], \"config\": {\"table\": \"it.paid_by_customer\", \"write\":"
                        + " \"overwrite\", \"partitionBy\": [\"customer\"]}}]}";
        PlatformHarness.Response applied =
                platform.call("PUT", "/api/v1/pipelines/nightly", pipeline);
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        assertThat(applied.json().path("state").asText()).isEqualTo("PENDING");

        JsonNode run = startRunAndAwait(1);
        assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("FINISHED");
        assertThat(run.path("cause").asText()).isEqualTo("manual");
        assertThat(run.path("rowsRead").asLong()).isEqualTo(12);
        assertThat(run.path("rowsWritten").asLong()).isEqualTo(6);
        assertThat(run.path("rowsDeadLettered").asLong()).isZero();
        assertThat(icebergRows("it.paid_by_customer")).hasSize(6);

        // A second run over the same range overwrites the partitions it writes: no duplicates.
        JsonNode second = startRunAndAwait(2);
        assertThat(second.path("state").asText()).as(second.toString()).isEqualTo("FINISHED");
        List<Record> rows = icebergRows("it.paid_by_customer");
        List<Long> ids = new ArrayList<>();
        rows.forEach(r -> ids.add((Long) r.getField("id")));
        assertThat(ids).containsExactlyInAnyOrder(0L, 2L, 4L, 6L, 8L, 10L);
        JsonNode runs = platform.call("GET", "/api/v1/pipelines/nightly/runs", null).json();
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).path("id").asLong()).isEqualTo(2);
        assertThat(
                        platform.call("GET", "/api/v1/pipelines/nightly", null)
                                .json()
                                .path("state")
                                .asText())
                .isEqualTo("PENDING");
    }

    private static JsonNode startRunAndAwait(long id) throws Exception {
        PlatformHarness.Response started =
                platform.call("POST", "/api/v1/pipelines/nightly/runs", null);
        assertThat(started.status).as(started.body).isEqualTo(202);
        assertThat(started.json().path("id").asLong()).isEqualTo(id);
        JsonNode[] last = new JsonNode[1];
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            last[0] =
                                    platform.call("GET", "/api/v1/pipelines/nightly/runs", null)
                                            .json()
                                            .get(0);
                            return !last[0].path("state").asText().equals("RUNNING");
                        });
        return last[0];
    }

    private static HadoopCatalog catalog() {
        HadoopCatalog catalog = new HadoopCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize(
                "it",
                Map.of("warehouse", dataDir.resolve("warehouse").toAbsolutePath().toString()));
        return catalog;
    }

    private static List<Record> icebergRows(String table) throws Exception {
        HadoopCatalog catalog = catalog();
        TableIdentifier id = TableIdentifier.parse(table);
        if (!catalog.tableExists(id)) {
            return List.of();
        }
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(catalog.loadTable(id)).build()) {
            read.forEach(rows::add);
        }
        return rows;
    }

    private static Map<Long, Double> postgresAmounts() throws Exception {
        Map<Long, Double> out = new TreeMap<>();
        try (Connection c = postgres.connectAsSuperuser("shop");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, amount FROM orders_latest")) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getDouble(2));
            }
        }
        return out;
    }
}
