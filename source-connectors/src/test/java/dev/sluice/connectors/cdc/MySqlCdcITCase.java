package dev.sluice.connectors.cdc;

import static dev.sluice.connectors.cdc.CdcTestContext.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.connectors.cdc.internal.CapturedChange;
import dev.sluice.schemas.registry.SchemaRegistryServer;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.SourceFactory.PlannedSource;
import dev.sluice.testing.db.MariaDbServer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mysql-cdc} against a real MariaDB (Debezium's MariaDB connector, chosen by the version
 * string), the capture running in a Flink MiniCluster, as a least-privilege user.
 */
class MySqlCdcITCase {

    private static final MySqlCdcSourceFactory FACTORY = new MySqlCdcSourceFactory();
    private static MariaDbServer db;
    private static SchemaRegistryServer registry;
    private static MiniCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        db = MariaDbServer.start();
        db.createDatabase("shop");
        db.createCaptureUser("cdc", "secret", "shop");
        registry = SchemaRegistryServer.builder().port(0).build().start();
        cluster = CaptureJobs.startCluster();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static PlannedSource plan(String node, Object... extra) {
        Map<String, Object> config =
                config(
                        "hostname",
                        db.host(),
                        "port",
                        db.port(),
                        "username",
                        "cdc",
                        "password",
                        "secret",
                        "database",
                        "shop",
                        "heartbeat.interval",
                        "PT0.5S");
        config.putAll(config(extra));
        return new CdcTestContext(FACTORY, registry.url(), node, config).plan();
    }

    @Test
    void testSnapshotThenChangesWithTypesBeforeImagesAndTombstones() throws Exception {
        db.execute(
                "shop",
                "CREATE TABLE orders (id BIGINT UNSIGNED PRIMARY KEY, amount DECIMAL(10,2) NOT"
                        + " NULL, placed DATETIME(3), paid TIMESTAMP(6) NULL, flag TINYINT(1),"
                        + " status ENUM('new','paid'), doc JSON, bits BIT(1), note VARCHAR(20))",
                "INSERT INTO orders VALUES (18446744073709551615, 12.50, '2024-03-01"
                        + " 10:11:12.345', '2024-03-01 10:00:00.123456', 1, 'new', '{\"a\":1}',"
                        + " b'1', 'first')");
        PlannedSource planned = plan("orders", "tables", List.of("orders"));
        planned.provision(new CdcTestContext.RecordingProvisioner(registry.url()));
        assertThat(((CdcPlannedSource) planned).source().toString())
                .as("Debezium's MariaDB connector, chosen by the version string")
                .contains("MARIADB");
        assertThat(planned.topics()).containsExactly("shop.orders.shop.orders");

        JobID job = CaptureJobs.submit(cluster, planned, "my-basic", null, false);
        CaptureJobs.awaitCommitted(
                cluster, job, "my-basic", Duration.ofSeconds(60), l -> l.size() >= 1);
        db.execute(
                "shop",
                "INSERT INTO orders (id, amount, note) VALUES (2, 3.00, 'second')",
                "UPDATE orders SET amount = 99.99, status = 'paid' WHERE id = 18446744073709551615",
                "DELETE FROM orders WHERE id = 2");
        try (var c = db.connectAsRoot("shop");
                var s = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 100; i < 300; i++) {
                s.execute("INSERT INTO orders (id, amount) VALUES (" + i + ", " + i + ")");
            }
            s.execute("UPDATE orders SET note = 'bulk' WHERE id >= 100");
            c.commit();
        }
        List<CapturedChange> changes =
                CaptureJobs.awaitCommitted(
                        cluster,
                        job,
                        "my-basic",
                        Duration.ofSeconds(60),
                        l -> l.size() >= 1 + 4 + 400);
        cluster.cancelJob(job).get();

        Schema schema = ((CdcPlannedSource) planned).tables().get(0).schema.valueSchema();
        List<GenericRecord> values = CaptureJobs.decode(registry.url(), schema, changes);
        GenericRecord first = values.get(0);
        assertThat(first.get("__op").toString()).isEqualTo("r");
        assertThat(decimal(first.get("id"), 0)).isEqualByComparingTo("18446744073709551615");
        assertThat(decimal(first.get("amount"), 2)).isEqualByComparingTo("12.50");
        assertThat(first.get("placed"))
                .isEqualTo(micros(LocalDateTime.of(2024, 3, 1, 10, 11, 12, 345_000_000)));
        assertThat(first.get("paid")).isNotNull();
        assertThat(first.get("flag")).isEqualTo(1);
        assertThat(first.get("status").toString()).isEqualTo("new");
        assertThat(first.get("doc").toString()).isEqualTo("{\"a\":1}");
        assertThat(first.get("bits")).isEqualTo(true);
        assertThat(first.get("__source").toString()).startsWith("shop.orders@");

        List<String> ops = new ArrayList<>();
        values.forEach(v -> ops.add(v == null ? "tombstone" : v.get("__op").toString()));
        assertThat(ops.subList(0, 5)).containsExactly("r", "c", "u", "d", "tombstone");
        GenericRecord update = values.get(2);
        assertThat(decimal(update.get("amount"), 2)).isEqualByComparingTo("99.99");
        assertThat(decimal(((GenericRecord) update.get("__before")).get("amount"), 2))
                .isEqualByComparingTo("12.50");
        assertThat(values.get(3).get("note").toString()).as("last row image").isEqualTo("second");
        assertThat(ops.subList(5, 205)).containsOnly("c");
        assertThat(ops.subList(205, 405)).containsOnly("u");
        List<String> ids = CaptureJobs.eventIds(values);
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        assertThat(registry.store().versions("shop.orders.shop.orders-value"))
                .as("the rows' columns, as Debezium gives them, match the planned schema")
                .containsExactly(1);
    }

    @Test
    void testColumnsAddedWhileCapturingAndWhileStoppedBecomeNewSchemaVersions(
            @TempDir Path savepoints) throws Exception {
        db.execute(
                "shop",
                "CREATE TABLE gadgets (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO gadgets VALUES (1, 'a')");
        PlannedSource before = plan("gadgets", "tables", List.of("gadgets"));
        before.provision(new CdcTestContext.RecordingProvisioner(registry.url()));
        String subject = "shop.gadgets.shop.gadgets-value";
        JobID job = CaptureJobs.submit(cluster, before, "my-evolve", null, false, true);
        CaptureJobs.awaitCommitted(
                cluster, job, "my-evolve", Duration.ofSeconds(60), l -> l.size() >= 1);
        db.execute(
                "shop",
                "ALTER TABLE gadgets ADD COLUMN price DECIMAL(8,2)",
                "INSERT INTO gadgets VALUES (2, 'b', 1.25)");
        CaptureJobs.awaitCommitted(
                cluster, job, "my-evolve", Duration.ofSeconds(60), l -> l.size() >= 2);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> CaptureJobs.decoded("my-evolve").size() >= 2);
        assertThat(registry.store().versions(subject)).containsExactly(1, 2);
        String savepoint =
                cluster.stopWithSavepoint(
                                job, savepoints.toString(), false, SavepointFormatType.CANONICAL)
                        .get();

        // While stopped: a change with the columns of version 2, then a NOT NULL column. The new
        // plan has it nullable (version 2 lacks it), so its version can read the older ones.
        db.execute(
                "shop",
                "INSERT INTO gadgets VALUES (3, 'c', 2.50)",
                "ALTER TABLE gadgets ADD COLUMN color VARCHAR(10) NOT NULL DEFAULT 'red'",
                "INSERT INTO gadgets VALUES (4, 'd', 3.00, 'blue')");
        PlannedSource after = plan("gadgets", "tables", List.of("gadgets"));
        after.provision(new CdcTestContext.RecordingProvisioner(registry.url()));
        JobID restored = CaptureJobs.submit(cluster, after, "my-evolve", savepoint, true, true);
        CaptureJobs.awaitCommitted(
                cluster, restored, "my-evolve", Duration.ofSeconds(60), l -> l.size() >= 4);
        CaptureJobs.FAIL_ARMED.set(true);
        db.execute("shop", "INSERT INTO gadgets VALUES (5, 'e', NULL, 'green')");
        List<CapturedChange> changes =
                CaptureJobs.awaitCommitted(
                        cluster, restored, "my-evolve", Duration.ofSeconds(60), l -> l.size() >= 5);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> CaptureJobs.decoded("my-evolve").size() >= 5);
        assertThat(CaptureJobs.FAIL_ARMED).as("the failure was injected").isFalse();
        cluster.cancelJob(restored).get();

        assertThat(registry.store().versions(subject)).containsExactly(1, 2, 3);
        Schema v2 = registry.store().version(subject, 2).schema();
        Schema v3 = registry.store().version(subject, 3).schema();
        assertThat(v3).isEqualTo(after.output().schema());
        assertThat(v3.getField("price").schema())
                .as("the capture derived the type a plan derives")
                .isEqualTo(v2.getField("price").schema());
        assertThat(v3.getField("color").schema().getType()).isEqualTo(Schema.Type.UNION);
        int[] ids = new int[4];
        for (int v = 1; v <= 3; v++) {
            ids[v] = registry.store().version(subject, v).id();
        }
        assertThat(changes)
                .extracting(c -> dev.sluice.schemas.serde.ConfluentWireFormat.schemaIdOf(c.value))
                .containsExactly(ids[1], ids[2], ids[3], ids[3], ids[3]);
        List<GenericRecord> values = CaptureJobs.decode(registry.url(), v3, changes);
        List<String> rows = new ArrayList<>();
        for (GenericRecord v : values) {
            rows.add(
                    v.get("__op")
                            + ":"
                            + v.get("id")
                            + ":"
                            + v.get("name")
                            + ":"
                            + (v.get("price") == null ? null : decimal(v.get("price"), 2))
                            + ":"
                            + v.get("color"));
        }
        assertThat(rows)
                .containsExactly(
                        "r:1:a:null:null",
                        "c:2:b:1.25:null",
                        "c:3:c:2.50:null",
                        "c:4:d:3.00:blue",
                        "c:5:e:null:green");
        List<String> eventIds = CaptureJobs.eventIds(values);
        assertThat(new HashSet<>(eventIds)).hasSize(5);
        assertThat(CaptureJobs.decoded("my-evolve"))
                .as("processors get each run's planned schema")
                .containsExactly(
                        "r,id=1,name=a",
                        "c,id=2,name=b",
                        "c,id=3,name=c,price=2.50,color=null",
                        "c,id=4,name=d,price=3.00,color=blue",
                        "c,id=5,name=e,price=null,color=green");
    }

    @Test
    void testDdlWhileStoppedAndAFailureLoseAndRepeatNothing(@TempDir Path savepoints)
            throws Exception {
        db.execute(
                "shop",
                "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO items VALUES (1, 'a'), (2, 'b')");
        PlannedSource planned = plan("items", "tables", List.of("shop.items"));
        planned.provision(new CdcTestContext.RecordingProvisioner(registry.url()));
        JobID job = CaptureJobs.submit(cluster, planned, "my-restore", null, true);
        CaptureJobs.awaitCommitted(
                cluster, job, "my-restore", Duration.ofSeconds(60), l -> l.size() >= 2);
        db.execute("shop", "INSERT INTO items VALUES (3, 'c')");
        CaptureJobs.awaitCommitted(
                cluster, job, "my-restore", Duration.ofSeconds(60), l -> l.size() >= 3);
        String savepoint =
                cluster.stopWithSavepoint(
                                job, savepoints.toString(), false, SavepointFormatType.CANONICAL)
                        .get();

        // While stopped, the table changes shape: the restored capture reads the rows written
        // before and after the DDL with the columns each had (schema history from the savepoint).
        db.execute(
                "shop",
                "INSERT INTO items VALUES (4, 'd')",
                "ALTER TABLE items ADD COLUMN price INT FIRST",
                "INSERT INTO items (id, name, price) VALUES (5, 'e', 7)",
                "UPDATE items SET name = 'A' WHERE id = 1");
        JobID restored = CaptureJobs.submit(cluster, planned, "my-restore", savepoint, true);
        CaptureJobs.awaitCommitted(
                cluster, restored, "my-restore", Duration.ofSeconds(60), l -> l.size() >= 6);
        CaptureJobs.FAIL_ARMED.set(true);
        for (int i = 10; i < 15; i++) {
            db.execute("shop", "INSERT INTO items (id, name) VALUES (" + i + ", 'x')");
        }
        List<CapturedChange> changes =
                CaptureJobs.awaitCommitted(
                        cluster,
                        restored,
                        "my-restore",
                        Duration.ofSeconds(60),
                        l -> l.size() >= 11);
        assertThat(CaptureJobs.FAIL_ARMED).as("the failure was injected").isFalse();
        cluster.cancelJob(restored).get();

        Schema schema = ((CdcPlannedSource) planned).tables().get(0).schema.valueSchema();
        List<String> rows = new ArrayList<>();
        List<GenericRecord> values = CaptureJobs.decode(registry.url(), schema, changes);
        values.forEach(v -> rows.add(v.get("__op") + ":" + v.get("id") + ":" + v.get("name")));
        assertThat(rows)
                .containsExactly(
                        "r:1:a", "r:2:b", "c:3:c", "c:4:d", "c:5:e", "u:1:A", "c:10:x", "c:11:x",
                        "c:12:x", "c:13:x", "c:14:x");
        List<String> ids = CaptureJobs.eventIds(values);
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    }

    @Test
    void testMisconfigurationsAreRefusedWithTheKeyAtFault() throws Exception {
        db.execute(
                "shop",
                "CREATE TABLE logs (at DATETIME, line TEXT)",
                "CREATE TABLE shapes (id INT PRIMARY KEY, g POINT)");
        db.createDatabase("secret_db");
        db.execute("secret_db", "CREATE TABLE t (id INT PRIMARY KEY)");
        db.execute(
                "",
                "CREATE USER 'reader'@'%' IDENTIFIED BY 'secret'",
                "GRANT SELECT ON shop.* TO 'reader'@'%'");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertRefused(
                "/sources/0/config/hostname",
                "cannot connect to the server at 127.0.0.1:" + closedPort,
                "hostname",
                "127.0.0.1",
                "port",
                closedPort,
                "tables",
                List.of("orders"));
        assertRefused(
                "/sources/0/config/password",
                "refused the login of 'cdc'",
                "password",
                "wrong",
                "tables",
                List.of("orders"));
        assertRefused(
                "/sources/0/config/tables/0",
                "no table matches 'nope' (looked up as shop.nope)",
                "tables",
                List.of("nope"));
        assertRefused(
                "/sources/0/config/tables/0",
                "no table matches 'secret_db.t'; tables there:",
                "tables",
                List.of("secret_db.t"));
        assertRefused(
                "/sources/0/config/tables/0",
                "table shop.logs has no primary key",
                "tables",
                List.of("logs"));
        assertRefused(
                "/sources/0/config/tables/0",
                "table shop.shapes: column 'g' has type 'point'",
                "tables",
                List.of("shapes"));
        assertRefused(
                "/sources/0/config/username",
                "user 'reader' lacks REPLICATION SLAVE and REPLICATION CLIENT",
                "username",
                "reader",
                "tables",
                List.of("logs"));
        PlannedSource keyed =
                plan("logs", "tables", List.of("logs"), "keys", Map.of("logs", List.of("at")));
        assertThat(keyed.output().keySchema().orElseThrow().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("at");

        db.execute("", "SET GLOBAL binlog_format = 'STATEMENT'");
        try {
            assertRefused(
                    "/sources/0/config/hostname",
                    "has binlog_format=STATEMENT; change capture needs binlog_format=ROW",
                    "tables",
                    List.of("logs"));
        } finally {
            db.execute("", "SET GLOBAL binlog_format = 'ROW'");
        }
    }

    @Test
    void testAServerWithTheBinaryLogOffIsRefused() throws Exception {
        try (MariaDbServer noBinlog = MariaDbServer.startWithoutBinaryLog()) {
            noBinlog.createDatabase("shop");
            noBinlog.createCaptureUser("cdc", "secret", "shop");
            noBinlog.execute("shop", "CREATE TABLE t (id INT PRIMARY KEY)");
            assertRefused(
                    "/sources/0/config/hostname",
                    "has the binary log off (log_bin=OFF); change capture reads the binary log",
                    "port",
                    noBinlog.port(),
                    "tables",
                    List.of("t"));
        }
    }

    private static void assertRefused(String pointer, String message, Object... config) {
        ConfigValidationException e =
                catchThrowableOfType(ConfigValidationException.class, () -> plan("bad", config));
        assertThat(e).as("planning %s", java.util.Arrays.toString(config)).isNotNull();
        assertThat(e.pointer()).isEqualTo(pointer);
        assertThat(e.getMessage()).contains(message);
    }

    private static BigDecimal decimal(Object avro, int scale) {
        ByteBuffer b = ((ByteBuffer) avro).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new BigDecimal(new BigInteger(bytes), scale);
    }

    private static long micros(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
    }
}
