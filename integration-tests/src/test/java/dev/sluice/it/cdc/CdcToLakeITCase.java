package dev.sluice.it.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.db.PostgresServer;
import java.math.BigDecimal;
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
 * A captured PostgreSQL table upserted into Iceberg and into another PostgreSQL database equals the
 * source table after inserts, updates and deletes (read back with Iceberg's reader and JDBC); and a
 * scheduled batch move JDBC → sql → Iceberg runs on its cron and records its runs.
 */
class CdcToLakeITCase {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir static Path dataDir;
    private static PostgresServer pg;
    private static CdcPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createReplicationRole("cdc", "secret");
        pg.execute("postgres", "CREATE ROLE app LOGIN PASSWORD 'secret'");
        pg.createDatabase("shop");
        pg.execute(
                "shop",
                "GRANT CREATE ON DATABASE shop TO cdc",
                "CREATE TABLE products (id INT PRIMARY KEY, name TEXT NOT NULL, price"
                        + " NUMERIC(10,2))",
                "ALTER TABLE products OWNER TO cdc",
                "GRANT SELECT ON products TO app",
                "INSERT INTO products VALUES (1, 'pen', 1.50), (2, 'ink', 4.00), (3, 'pad',"
                        + " 2.25)");
        pg.createDatabase("replica");
        pg.execute(
                "replica",
                "CREATE TABLE products (id INT PRIMARY KEY, name TEXT NOT NULL, price"
                        + " NUMERIC(10,2))",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON products TO app");
        platform =
                CdcPlatform.start(
                        dataDir, Map.of("CDC_PASSWORD", "secret", "APP_PASSWORD", "secret"));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void aCapturedTableIsMirroredIntoIcebergAndPostgres() throws Exception {
        String body =
                "{\"name\": \"mirror\", \"sources\": [{\"id\": \"products\", \"type\":"
                        + " \"postgres-cdc\", \"config\": {\"hostname\": \""
                        + pg.host()
                        + "\", \"port\": "
                        + pg.port()
                        + ", \"database\": \"shop\", \"username\": \"cdc\", \"password\":"
                        + " \"${env:CDC_PASSWORD}\", \"tables\": [\"public.products\"]}}],"
                        + " \"sinks\": [{\"id\": \"lake\", \"type\": \"iceberg\", \"inputs\":"
                        + " [\"products\"], \"config\": {\"table\": \"lake.products\"}},"
                        + " {\"id\": \"replica\", \"type\": \"jdbc\", \"inputs\": [\"products\"],"
                        + " \"config\": {\"url\": \""
                        + pg.jdbcUrl("replica")
                        + "\", \"username\": \"app\", \"password\": \"${env:APP_PASSWORD}\","
                        + " \"table\": \"products\"}}]}";
        assertThat(platform.call("PUT", "/api/v1/pipelines/mirror", body).statusCode())
                .isEqualTo(201);
        platform.awaitState("mirror", "RUNNING", WAIT);
        pg.execute(
                "shop",
                "INSERT INTO products VALUES (4, 'cap', 9.99)",
                "UPDATE products SET price = 4.50, name = 'blue ink' WHERE id = 2",
                "DELETE FROM products WHERE id = 1");

        Map<Integer, String> expected = new TreeMap<>();
        expected.put(2, "blue ink 4.50");
        expected.put(3, "pad 2.25");
        expected.put(4, "cap 9.99");
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            assertThat(icebergProducts("lake.products")).isEqualTo(expected);
                            assertThat(postgresProducts()).isEqualTo(expected);
                        });
        assertThat(sourceProducts()).isEqualTo(expected);
    }

    @Test
    void aScheduledBatchMoveRunsOnItsCron() throws Exception {
        String body =
                "{\"name\": \"names\", \"mode\": \"batch\", \"schedule\": {\"cron\": \"* * * *"
                        + " *\", \"timezone\": \"UTC\"}, \"sources\": [{\"id\": \"products\","
                        + " \"type\": \"jdbc\", \"config\": {\"url\": \""
                        + pg.jdbcUrl("shop")
                        + "\", \"username\": \"app\", \"password\": \"${env:APP_PASSWORD}\","
                        + " \"table\": \"products\"}}], \"processors\": [{\"id\": \"upper\","
                        + " \"type\": \"sql\", \"inputs\": [\"products\"], \"config\": {\"query\":"
                        + " \"SELECT id, UPPER(name) AS name FROM products WHERE price > 2\"}}],"
                        + " \"sinks\": [{\"id\": \"lake\", \"type\": \"iceberg\", \"inputs\":"
                        + " [\"upper\"], \"config\": {\"table\": \"lake.product_names\","
                        + " \"write\": \"overwrite\"}}]}";
        var applied = platform.call("PUT", "/api/v1/pipelines/names", body);
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(201);
        JsonNode[] run = new JsonNode[1];
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            JsonNode runs =
                                    CdcPlatform.JSON.readTree(
                                            platform.call(
                                                            "GET",
                                                            "/api/v1/pipelines/names/runs",
                                                            null)
                                                    .body());
                            if (runs.size() == 0) {
                                return false;
                            }
                            run[0] = runs.get(runs.size() - 1);
                            return !run[0].path("state").asText().equals("RUNNING");
                        });
        assertThat(run[0].path("state").asText()).as(run[0].toString()).isEqualTo("FINISHED");
        assertThat(run[0].path("cause").asText()).isEqualTo("schedule");
        assertThat(run[0].path("rowsRead").asLong()).isEqualTo(sourceProducts().size());
        Map<Integer, String> names = new TreeMap<>();
        for (Record r : read("lake.product_names")) {
            names.put((Integer) r.getField("id"), r.getField("name").toString());
        }
        Map<Integer, String> expected = new TreeMap<>();
        try (Connection c = pg.connectAsSuperuser("shop");
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT id, UPPER(name) FROM products WHERE price > 2")) {
            while (rs.next()) {
                expected.put(rs.getInt(1), rs.getString(2));
            }
        }
        assertThat(names).isEqualTo(expected).isNotEmpty();
    }

    private static List<Record> read(String table) throws Exception {
        HadoopCatalog catalog = new HadoopCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize(
                "it",
                Map.of("warehouse", dataDir.resolve("warehouse").toAbsolutePath().toString()));
        TableIdentifier id = TableIdentifier.parse(table);
        List<Record> rows = new ArrayList<>();
        if (!catalog.tableExists(id)) {
            return rows;
        }
        try (CloseableIterable<Record> it = IcebergGenerics.read(catalog.loadTable(id)).build()) {
            it.forEach(rows::add);
        }
        return rows;
    }

    private static Map<Integer, String> icebergProducts(String table) throws Exception {
        Map<Integer, String> out = new TreeMap<>();
        for (Record r : read(table)) {
            out.put(
                    (Integer) r.getField("id"),
                    r.getField("name") + " " + ((BigDecimal) r.getField("price")).toPlainString());
        }
        return out;
    }

    private static Map<Integer, String> postgresProducts() throws Exception {
        return products("replica");
    }

    private static Map<Integer, String> sourceProducts() throws Exception {
        return products("shop");
    }

    private static Map<Integer, String> products(String database) throws Exception {
        Map<Integer, String> out = new TreeMap<>();
        try (Connection c = pg.connectAsSuperuser(database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, price FROM products")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getString(2) + " " + rs.getBigDecimal(3).toPlainString());
            }
        }
        return out;
    }
}
