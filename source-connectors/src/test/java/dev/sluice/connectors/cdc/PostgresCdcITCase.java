package dev.sluice.connectors.cdc;

import static dev.sluice.connectors.cdc.CdcTestContext.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.connectors.cdc.internal.CapturedChange;
import dev.sluice.schemas.registry.SchemaRegistryServer;
import dev.sluice.schemas.serde.ConfluentWireFormat;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.SourceFactory.PlannedSource;
import dev.sluice.testing.db.PostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code postgres-cdc} against a real PostgreSQL, the capture running in a Flink MiniCluster. */
class PostgresCdcITCase {

    private static final PostgresCdcSourceFactory FACTORY = new PostgresCdcSourceFactory();
    private static PostgresServer pg;
    private static SchemaRegistryServer registry;
    private static MiniCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = CaptureJobs.startCluster();
        pg = PostgresServer.start();
        pg.createReplicationRole("cdc", "secret");
        registry = SchemaRegistryServer.builder().port(0).build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    /** A database whose tables the capture role owns, as the contract's least privilege asks. */
    private static void database(String name, String... ddl) {
        pg.createDatabase(name);
        pg.execute(name, "GRANT CREATE ON DATABASE \"" + name + "\" TO cdc");
        pg.execute(name, ddl);
    }

    private static PlannedSource plan(String node, Object... extra) {
        Map<String, Object> config =
                config(
                        "hostname",
                        pg.host(),
                        "port",
                        pg.port(),
                        "username",
                        "cdc",
                        "password",
                        "secret",
                        "heartbeat.interval",
                        "PT0.5S");
        config.putAll(config(extra));
        return new CdcTestContext(FACTORY, registry.url(), node, config).plan();
    }

    private static String query(String db, String sql) throws Exception {
        try (Connection c = pg.connectAsSuperuser(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void testSnapshotThenChangesInOrderWithBeforeImagesAndTombstones() throws Exception {
        database(
                "films",
                "CREATE TABLE movies (id INT PRIMARY KEY, title TEXT NOT NULL, rating"
                        + " NUMERIC(3,1), released DATE, tags TEXT[], seen TIMESTAMPTZ, meta"
                        + " JSONB)",
                "ALTER TABLE movies OWNER TO cdc",
                "INSERT INTO movies VALUES (1, 'Alien', 8.5, '1979-05-25', '{scifi,horror}',"
                        + " '2024-01-01 10:00:00+00', '{\"a\": 1}'), (2, 'Heat', 8.3,"
                        + " '1995-12-15', NULL, NULL, NULL)");
        PlannedSource planned = plan("movies", "database", "films", "tables", List.of("movies"));
        CdcTestContext.RecordingProvisioner provisioner =
                new CdcTestContext.RecordingProvisioner(registry.url());
        planned.provision(provisioner);

        assertThat(planned.topics()).containsExactly("shop.movies.public.movies");
        assertThat(provisioner.subjects.keySet())
                .containsExactly(
                        "shop.movies.public.movies-value", "shop.movies.public.movies-key");
        assertThat(provisioner.topics.get(0).configs()).containsEntry("cleanup.policy", "compact");
        assertThat(query("films", "SELECT relreplident FROM pg_class WHERE relname = 'movies'"))
                .isEqualTo("f");
        assertThat(
                        query(
                                "films",
                                "SELECT string_agg(tablename, ',') FROM pg_publication_tables"
                                        + " WHERE pubname = 'sluice_shop_movies'"))
                .isEqualTo("movies");

        JobID job = CaptureJobs.submit(cluster, planned, "pg-basic", null, false);
        CaptureJobs.awaitCommitted(
                cluster, job, "pg-basic", Duration.ofSeconds(60), l -> l.size() >= 2);

        pg.execute(
                "films",
                "INSERT INTO movies VALUES (3, 'Ran', 8.2, NULL, '{}', NULL, '[1, 2]')",
                "UPDATE movies SET title = 'Alien (1979)', rating = 8.6 WHERE id = 1",
                "DELETE FROM movies WHERE id = 2");
        // A long transaction: 200 inserts and an update of all of them, committed at once.
        pg.execute(
                "films",
                "BEGIN; INSERT INTO movies SELECT g, 'film ' || g, NULL, NULL, NULL, NULL, NULL"
                        + " FROM generate_series(100, 299) g; UPDATE movies SET rating = 5.0"
                        + " WHERE id >= 100; COMMIT");

        List<CapturedChange> changes =
                CaptureJobs.awaitCommitted(
                        cluster,
                        job,
                        "pg-basic",
                        Duration.ofSeconds(60),
                        l -> l.size() >= 2 + 4 + 400);
        Schema schema = ((CdcPlannedSource) planned).tables().get(0).schema.valueSchema();
        List<GenericRecord> values = CaptureJobs.decode(registry.url(), schema, changes);

        assertThat(values.subList(0, 2))
                .extracting(v -> v.get("__op").toString())
                .containsExactly("r", "r");
        GenericRecord alien = values.get(0);
        assertThat(alien.get("title").toString()).isEqualTo("Alien");
        assertThat(
                        new java.math.BigDecimal(
                                new java.math.BigInteger(bytes((ByteBuffer) alien.get("rating"))),
                                1))
                .isEqualByComparingTo("8.5");
        assertThat(alien.get("released"))
                .isEqualTo((int) java.time.LocalDate.of(1979, 5, 25).toEpochDay());
        assertThat(alien.get("tags").toString()).isEqualTo("[scifi, horror]");
        assertThat(alien.get("seen")).isEqualTo(1704103200000000L);
        assertThat(alien.get("meta").toString()).isEqualTo("{\"a\": 1}");
        assertThat(alien.get("__source").toString()).startsWith("films.public.movies@");

        List<GenericRecord> live = values.subList(2, 7);
        assertThat(live)
                .extracting(v -> v == null ? "tombstone" : v.get("__op").toString())
                .containsExactly("c", "u", "d", "tombstone", "c");
        GenericRecord update = live.get(1);
        assertThat(update.get("title").toString()).isEqualTo("Alien (1979)");
        GenericRecord before = (GenericRecord) update.get("__before");
        assertThat(before.get("title").toString()).isEqualTo("Alien");
        assertThat(live.get(2).get("title").toString())
                .as("a delete carries the last row")
                .isEqualTo("Heat");
        assertThat(changes.get(5).key).isEqualTo(changes.get(4).key);

        List<String> ops = new ArrayList<>();
        values.subList(6, values.size()).forEach(v -> ops.add(v.get("__op").toString()));
        assertThat(ops.subList(0, 200)).containsOnly("c");
        assertThat(ops.subList(200, 400)).containsOnly("u");
        List<String> ids = CaptureJobs.eventIds(values);
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(registry.store().versions("shop.movies.public.movies-value"))
                .as("the rows' columns, as Debezium gives them, match the planned schema")
                .containsExactly(1);

        // The slot follows completed checkpoints, and an idle capture still moves it: the
        // heartbeat's WAL message passes the position of writes to a table nobody captures.
        pg.execute("films", "CREATE TABLE other (x INT)");
        for (int i = 0; i < 5; i++) {
            pg.execute("films", "INSERT INTO other VALUES (" + i + ")");
        }
        String walAfterOtherWrites = query("films", "SELECT pg_current_wal_lsn()::text");
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                "t"
                                        .equals(
                                                query(
                                                        "films",
                                                        "SELECT confirmed_flush_lsn >= '"
                                                                + walAfterOtherWrites
                                                                + "'::pg_lsn FROM"
                                                                + " pg_replication_slots WHERE"
                                                                + " slot_name ="
                                                                + " 'sluice_shop_movies'")));
        cluster.cancelJob(job).get();
    }

    @Test
    void testRestoresFromSavepointAndAfterFailureWithoutLossOrDuplicatesThenDecommissions(
            @TempDir Path savepoints) throws Exception {
        database(
                "reels",
                "CREATE TABLE reels (id INT PRIMARY KEY, n INT)",
                "ALTER TABLE reels OWNER TO cdc",
                "INSERT INTO reels SELECT g, 0 FROM generate_series(1, 3) g",
                "CREATE TABLE clips (id INT PRIMARY KEY)",
                "ALTER TABLE clips OWNER TO cdc",
                "INSERT INTO clips VALUES (7)");
        // A pattern: both tables, one topic each.
        PlannedSource planned = plan("reels", "database", "reels", "tables", List.of("public.*"));
        assertThat(planned.topics())
                .containsExactly("shop.reels.public.clips", "shop.reels.public.reels");
        planned.provision(new CdcTestContext.RecordingProvisioner(registry.url()));
        JobID job = CaptureJobs.submit(cluster, planned, "pg-restore", null, true);
        CaptureJobs.awaitCommitted(
                cluster, job, "pg-restore", Duration.ofSeconds(60), l -> l.size() >= 4);
        for (int i = 10; i < 15; i++) {
            pg.execute("reels", "INSERT INTO reels VALUES (" + i + ", 0)");
        }
        CaptureJobs.awaitCommitted(
                cluster, job, "pg-restore", Duration.ofSeconds(60), l -> l.size() >= 9);
        String savepoint =
                cluster.stopWithSavepoint(
                                job, savepoints.toString(), false, SavepointFormatType.CANONICAL)
                        .get();

        // While the capture is stopped: inserts, an update, a delete.
        for (int i = 20; i < 30; i++) {
            pg.execute("reels", "INSERT INTO reels VALUES (" + i + ", 0)");
        }
        pg.execute(
                "reels", "UPDATE reels SET n = 1 WHERE id = 1", "DELETE FROM reels WHERE id = 2");
        JobID restored = CaptureJobs.submit(cluster, planned, "pg-restore", savepoint, true);
        CaptureJobs.awaitCommitted(
                cluster, restored, "pg-restore", Duration.ofSeconds(60), l -> l.size() >= 9 + 13);

        // A failure after checkpoints: the job restarts from the last one and writes each change
        // once (the sink publishes only what completed checkpoints hold).
        CaptureJobs.FAIL_ARMED.set(true);
        for (int i = 40; i < 50; i++) {
            pg.execute("reels", "INSERT INTO reels VALUES (" + i + ", 0)");
        }
        List<CapturedChange> changes =
                CaptureJobs.awaitCommitted(
                        cluster,
                        restored,
                        "pg-restore",
                        Duration.ofSeconds(60),
                        l -> l.size() >= 9 + 13 + 10);
        assertThat(CaptureJobs.FAIL_ARMED).as("the failure was injected").isFalse();
        cluster.cancelJob(restored).get();

        List<CapturedChange> clips = new ArrayList<>();
        List<CapturedChange> reels = new ArrayList<>();
        changes.forEach(c -> (c.topic.endsWith(".clips") ? clips : reels).add(c));
        List<CdcPlannedSource.PlannedTable> tables = ((CdcPlannedSource) planned).tables();
        GenericRecord clip =
                CaptureJobs.decode(registry.url(), tables.get(0).schema.valueSchema(), clips)
                        .get(0);
        assertThat(clips).hasSize(1);
        assertThat(clip.get("__op") + ":" + clip.get("id")).isEqualTo("r:7");
        Schema schema = tables.get(1).schema.valueSchema();
        List<GenericRecord> values = CaptureJobs.decode(registry.url(), schema, reels);
        assertThat(values).hasSize(8 + 13 + 10);
        List<String> rows = new ArrayList<>();
        for (GenericRecord v : values) {
            rows.add(
                    v == null ? "tombstone" : v.get("__op") + ":" + v.get("id") + ":" + v.get("n"));
        }
        List<String> expected = new ArrayList<>(List.of("r:1:0", "r:2:0", "r:3:0"));
        for (int i = 10; i < 15; i++) {
            expected.add("c:" + i + ":0");
        }
        for (int i = 20; i < 30; i++) {
            expected.add("c:" + i + ":0");
        }
        expected.addAll(List.of("u:1:1", "d:2:0", "tombstone"));
        for (int i = 40; i < 50; i++) {
            expected.add("c:" + i + ":0");
        }
        assertThat(rows).containsExactlyElementsOf(expected);
        List<String> ids = CaptureJobs.eventIds(values);
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        assertThat(ids).doesNotContain(clip.get("__event_id").toString());

        planned.decommission();
        assertThat(
                        query(
                                "reels",
                                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'sluice_shop_reels'"))
                .isEqualTo("0");
        assertThat(
                        query(
                                "reels",
                                "SELECT count(*) FROM pg_publication WHERE pubname = 'sluice_shop_reels'"))
                .isEqualTo("0");
        planned.decommission(); // nothing left to drop: fine
    }

    @Test
    void testMisconfigurationsAreRefusedWithTheKeyAtFault() throws Exception {
        database(
                "store",
                "CREATE TABLE items (id INT PRIMARY KEY, name TEXT)",
                "ALTER TABLE items OWNER TO cdc",
                "CREATE TABLE events (at TIMESTAMPTZ, what TEXT)",
                "ALTER TABLE events OWNER TO cdc",
                "CREATE TABLE places (id INT PRIMARY KEY, spot POINT)",
                "ALTER TABLE places OWNER TO cdc",
                "CREATE TABLE audit (id INT PRIMARY KEY)",
                "GRANT SELECT ON audit TO cdc");
        pg.execute("postgres", "CREATE ROLE plain LOGIN PASSWORD 'secret'");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertRefused(
                "/sources/0/config/hostname",
                "cannot connect to PostgreSQL at 127.0.0.1:" + closedPort,
                "port",
                closedPort,
                "hostname",
                "127.0.0.1",
                "database",
                "store",
                "tables",
                List.of("items"));
        assertRefused(
                "/sources/0/config/password",
                "refused the login of 'cdc'",
                "password",
                "wrong",
                "database",
                "store",
                "tables",
                List.of("items"));
        assertRefused(
                "/sources/0/config/database",
                "database 'nowhere' does not exist",
                "database",
                "nowhere",
                "tables",
                List.of("items"));
        assertRefused(
                "/sources/0/config/tables/1",
                "no table matches 'itemz' (looked up as public.itemz); tables there: public.audit,"
                        + " public.events, public.items, public.places",
                "database",
                "store",
                "tables",
                List.of("items", "itemz"));
        assertRefused(
                "/sources/0/config/tables/0",
                "table public.events has no primary key; name the columns that identify a row in"
                        + " keys, e.g. \"keys\": {\"public.events\": [\"at\"]}",
                "database",
                "store",
                "tables",
                List.of("events"));
        assertRefused(
                "/sources/0/config/tables/0",
                "table public.places: column 'spot' has type 'point', which change capture does not"
                        + " support",
                "database",
                "store",
                "tables",
                List.of("places"));
        assertRefused(
                "/sources/0/config/username",
                "which needs ownership of public.audit (owner: postgres)",
                "database",
                "store",
                "tables",
                List.of("audit"));
        assertRefused(
                "/sources/0/config/username",
                "role 'plain' lacks the REPLICATION attribute",
                "username",
                "plain",
                "database",
                "store",
                "tables",
                List.of("items"));
        assertRefused(
                "/sources/0/config/keys/public.nope",
                "keys names table 'public.nope', which tables does not select",
                "database",
                "store",
                "tables",
                List.of("items"),
                "keys",
                Map.of("public.nope", List.of("id")));

        // keys make a table without a primary key capturable: they are its Kafka key.
        PlannedSource keyed =
                plan(
                        "events",
                        "database",
                        "store",
                        "tables",
                        List.of("events"),
                        "keys",
                        Map.of("events", List.of("at", "what")));
        assertThat(keyed.output().keySchema().orElseThrow().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("at", "what");

        // A server without logical decoding.
        try (EmbeddedPostgres replicaLevel =
                EmbeddedPostgres.builder().setServerConfig("wal_level", "replica").start()) {
            ConfigValidationException e =
                    catchThrowableOfType(
                            ConfigValidationException.class,
                            () ->
                                    new CdcTestContext(
                                                    FACTORY,
                                                    registry.url(),
                                                    "x",
                                                    config(
                                                            "hostname", "127.0.0.1",
                                                            "port", replicaLevel.getPort(),
                                                            "username", "postgres",
                                                            "password", "any",
                                                            "database", "postgres",
                                                            "tables", List.of("t")))
                                            .plan());
            assertThat(e.pointer()).isEqualTo("/sources/0/config/hostname");
            assertThat(e.getMessage())
                    .isEqualTo(
                            "PostgreSQL at 127.0.0.1:"
                                    + replicaLevel.getPort()
                                    + " has wal_level=replica; change capture needs"
                                    + " wal_level=logical (ALTER SYSTEM SET wal_level = logical;"
                                    + " then restart the server)");
        }
    }

    @Test
    void testWhatCanOnlyFailAtRunTimeFailsTheJobWithItsCause() throws Exception {
        database("late", "CREATE TABLE t (id INT PRIMARY KEY)", "ALTER TABLE t OWNER TO cdc");
        PlannedSource planned = plan("late", "database", "late", "tables", List.of("t"));
        planned.provision(new CdcTestContext.RecordingProvisioner(registry.url()));
        pg.execute("late", "DROP PUBLICATION sluice_shop_late");

        JobID job = CaptureJobs.submit(cluster, planned, "pg-late", null, false);
        Throwable error =
                catchThrowableOfType(
                        AssertionError.class,
                        () ->
                                CaptureJobs.awaitCommitted(
                                        cluster,
                                        job,
                                        "pg-late",
                                        Duration.ofSeconds(60),
                                        l -> false));
        List<String> messages = new ArrayList<>();
        for (Throwable t = error.getCause(); t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        assertThat(messages)
                .anyMatch(
                        m ->
                                m.contains(
                                        "PostgreSQL change capture of shop/late stopped:"
                                                + " Publication autocreation is disabled"));
    }

    @Test
    void testColumnAddedAndTypeWidenedWhileCapturingBecomeNewSchemaVersions() throws Exception {
        database(
                "evolve",
                "CREATE TABLE items (id INT PRIMARY KEY, n INT NOT NULL, note TEXT)",
                "ALTER TABLE items OWNER TO cdc",
                "INSERT INTO items VALUES (1, 1, 'a')");
        PlannedSource planned = plan("items", "database", "evolve", "tables", List.of("items"));
        planned.provision(new CdcTestContext.RecordingProvisioner(registry.url()));
        String subject = "shop.items.public.items-value";
        JobID job = CaptureJobs.submit(cluster, planned, "pg-evolve", null, false, true);
        CaptureJobs.awaitCommitted(
                cluster, job, "pg-evolve", Duration.ofSeconds(60), l -> l.size() >= 1);

        pg.execute(
                "evolve",
                "INSERT INTO items VALUES (2, 2, 'b')",
                "ALTER TABLE items ADD COLUMN price NUMERIC(10,2)",
                "INSERT INTO items VALUES (3, 3, 'c', 9.99)",
                "UPDATE items SET price = 1.50 WHERE id = 1");
        CaptureJobs.awaitCommitted(
                cluster, job, "pg-evolve", Duration.ofSeconds(60), l -> l.size() >= 4);
        assertThat(registry.store().versions(subject)).containsExactly(1, 2);
        pg.execute(
                "evolve",
                "ALTER TABLE items ALTER COLUMN n TYPE BIGINT",
                "INSERT INTO items VALUES (4, 3000000000, 'd', NULL)",
                "UPDATE items SET n = 5 WHERE id = 2");
        List<CapturedChange> changes =
                CaptureJobs.awaitCommitted(
                        cluster, job, "pg-evolve", Duration.ofSeconds(60), l -> l.size() >= 6);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> CaptureJobs.decoded("pg-evolve").size() >= 5);
        cluster.cancelJob(job).get();

        assertThat(registry.store().versions(subject)).containsExactly(1, 2, 3);
        assertThat(registry.store().versions("shop.items.public.items-key")).containsExactly(1);
        int[] ids = new int[4];
        Schema[] versions = new Schema[4];
        for (int v = 1; v <= 3; v++) {
            ids[v] = registry.store().version(subject, v).id();
            versions[v] = registry.store().version(subject, v).schema();
        }
        assertThat(versions[2].getField("price").schema().toString())
                .isEqualTo(
                        "[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\","
                                + "\"precision\":10,\"scale\":2}]");
        assertThat(versions[2].getField("price").defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
        assertThat(versions[3].getField("n").schema().getType()).isEqualTo(Schema.Type.LONG);
        assertThat(changes)
                .extracting(c -> ConfluentWireFormat.schemaIdOf(c.value))
                .as("changes before each DDL keep their version")
                .containsExactly(ids[1], ids[1], ids[2], ids[2], ids[3], ids[3]);

        List<String> rows = new ArrayList<>();
        for (GenericRecord v : CaptureJobs.decode(registry.url(), versions[3], changes)) {
            rows.add(
                    v.get("__op")
                            + ":"
                            + v.get("id")
                            + ":"
                            + v.get("n")
                            + ":"
                            + decimal(v.get("price"), 2));
        }
        assertThat(rows)
                .containsExactly(
                        "r:1:1:null",
                        "c:2:2:null",
                        "c:3:3:9.99",
                        "u:1:1:1.50",
                        "c:4:3000000000:null",
                        "u:2:5:null");
        List<String> eventIds =
                CaptureJobs.eventIds(CaptureJobs.decode(registry.url(), versions[3], changes));
        assertThat(new HashSet<>(eventIds)).hasSize(6);

        // The pipeline's processors keep the planned schema; a value it cannot hold is a dead
        // letter (not collected here).
        assertThat(CaptureJobs.decoded("pg-evolve"))
                .containsExactly(
                        "r,id=1,n=1,note=a",
                        "c,id=2,n=2,note=b",
                        "c,id=3,n=3,note=c",
                        "u,id=1,n=1,note=a",
                        "u,id=2,n=5,note=b");

        // A new plan derives exactly what the capture registered: redeploying registers nothing.
        PlannedSource replanned = plan("items", "database", "evolve", "tables", List.of("items"));
        assertThat(((CdcPlannedSource) replanned).tables().get(0).schema.valueSchema())
                .isEqualTo(versions[3]);
    }

    @Test
    void testDdlWhileStoppedThenRestoreWithANewPlanLosesAndRepeatsNothing(@TempDir Path savepoints)
            throws Exception {
        database(
                "depot",
                "CREATE TABLE stock (id INT PRIMARY KEY, qty INT NOT NULL)",
                "ALTER TABLE stock OWNER TO cdc",
                "INSERT INTO stock VALUES (1, 10), (2, 20)");
        PlannedSource before = plan("stock", "database", "depot", "tables", List.of("stock"));
        before.provision(new CdcTestContext.RecordingProvisioner(registry.url()));
        JobID job = CaptureJobs.submit(cluster, before, "pg-replan", null, false);
        CaptureJobs.awaitCommitted(
                cluster, job, "pg-replan", Duration.ofSeconds(60), l -> l.size() >= 2);
        pg.execute("depot", "INSERT INTO stock VALUES (3, 30)");
        CaptureJobs.awaitCommitted(
                cluster, job, "pg-replan", Duration.ofSeconds(60), l -> l.size() >= 3);
        String savepoint =
                cluster.stopWithSavepoint(
                                job, savepoints.toString(), false, SavepointFormatType.CANONICAL)
                        .get();

        // While stopped: a change with the old columns, the DDL, changes with the new ones. The
        // controller then re-plans (the schema now has the column) and restores the savepoint.
        pg.execute(
                "depot",
                "INSERT INTO stock VALUES (4, 40)",
                "ALTER TABLE stock ADD COLUMN loc TEXT",
                "INSERT INTO stock VALUES (5, 50, 'x')",
                "UPDATE stock SET loc = 'y' WHERE id = 1");
        PlannedSource after = plan("stock", "database", "depot", "tables", List.of("stock"));
        assertThat(after.output().schema().getField("loc")).isNotNull();
        after.provision(new CdcTestContext.RecordingProvisioner(registry.url()));
        JobID restored = CaptureJobs.submit(cluster, after, "pg-replan", savepoint, true, true);
        CaptureJobs.awaitCommitted(
                cluster, restored, "pg-replan", Duration.ofSeconds(60), l -> l.size() >= 6);
        CaptureJobs.FAIL_ARMED.set(true);
        pg.execute("depot", "INSERT INTO stock VALUES (6, 60, 'z')");
        List<CapturedChange> changes =
                CaptureJobs.awaitCommitted(
                        cluster, restored, "pg-replan", Duration.ofSeconds(60), l -> l.size() >= 7);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> CaptureJobs.decoded("pg-replan").size() >= 4);
        assertThat(CaptureJobs.FAIL_ARMED).as("the failure was injected").isFalse();
        cluster.cancelJob(restored).get();

        String subject = "shop.stock.public.stock-value";
        assertThat(registry.store().versions(subject))
                .as("the replayed changes with the old columns register nothing")
                .containsExactly(1, 2);
        int v1 = registry.store().version(subject, 1).id();
        int v2 = registry.store().version(subject, 2).id();
        assertThat(changes)
                .extracting(c -> ConfluentWireFormat.schemaIdOf(c.value))
                .containsExactly(v1, v1, v1, v2, v2, v2, v2);
        Schema schema = after.output().schema();
        List<GenericRecord> values = CaptureJobs.decode(registry.url(), schema, changes);
        List<String> rows = new ArrayList<>();
        values.forEach(
                v ->
                        rows.add(
                                v.get("__op")
                                        + ":"
                                        + v.get("id")
                                        + ":"
                                        + v.get("qty")
                                        + ":"
                                        + v.get("loc")));
        assertThat(rows)
                .containsExactly(
                        "r:1:10:null",
                        "r:2:20:null",
                        "c:3:30:null",
                        "c:4:40:null",
                        "c:5:50:x",
                        "u:1:10:y",
                        "c:6:60:z");
        List<String> eventIds = CaptureJobs.eventIds(values);
        assertThat(new HashSet<>(eventIds)).hasSize(7);
        assertThat(CaptureJobs.decoded("pg-replan"))
                .containsExactly(
                        "c,id=4,qty=40,loc=null",
                        "c,id=5,qty=50,loc=x",
                        "u,id=1,qty=10,loc=y",
                        "c,id=6,qty=60,loc=z");
    }

    /** Records seen by the first attempt of {@link FailMidSnapshot}; 0 until it failed. */
    private static final java.util.concurrent.atomic.AtomicInteger SEEN_AT_FAILURE =
            new java.util.concurrent.atomic.AtomicInteger();

    /** What the sink had committed when {@link FailMidSnapshot} failed. */
    private static final java.util.concurrent.atomic.AtomicInteger COMMITTED_AT_FAILURE =
            new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void testFailureDuringTheSnapshotWritesEachRowOnce() throws Exception {
        int rows = 20_000;
        database(
                "bulk",
                "CREATE TABLE bulk (id INT PRIMARY KEY, label TEXT NOT NULL)",
                "ALTER TABLE bulk OWNER TO cdc",
                "INSERT INTO bulk SELECT g, 'row ' || g FROM generate_series(1, " + rows + ") g");
        PlannedSource planned = plan("bulk", "database", "bulk", "tables", List.of("bulk"));
        planned.provision(new CdcTestContext.RecordingProvisioner(registry.url()));

        org.apache.flink.configuration.Configuration conf =
                new org.apache.flink.configuration.Configuration();
        conf.set(
                org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY,
                "fixed-delay");
        conf.set(
                org.apache.flink.configuration.RestartStrategyOptions
                        .RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                2);
        conf.set(
                org.apache.flink.configuration.RestartStrategyOptions
                        .RESTART_STRATEGY_FIXED_DELAY_DELAY,
                Duration.ofMillis(200));
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
                        .getExecutionEnvironment(conf);
        env.configure(conf);
        env.enableCheckpointing(200);
        env.setParallelism(1);
        env.fromSource(
                        ((CdcPlannedSource) planned).source(),
                        org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(),
                        "capture",
                        org.apache.flink.api.common.typeinfo.TypeInformation.of(
                                CapturedChange.class))
                .uid("capture")
                .map(new FailMidSnapshot("pg-bulk"))
                .uid("fail-mid-snapshot")
                .sinkTo(new CommittingCollectSink("pg-bulk"))
                .uid("collect");
        JobID job = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();

        List<CapturedChange> changes =
                CaptureJobs.awaitCommitted(
                        cluster, job, "pg-bulk", Duration.ofSeconds(120), l -> l.size() >= rows);
        // Whatever else the capture had read is committed by the checkpoints that follow.
        pg.execute("bulk", "INSERT INTO bulk VALUES (" + (rows + 1) + ", 'after')");
        changes =
                CaptureJobs.awaitCommitted(
                        cluster,
                        job,
                        "pg-bulk",
                        Duration.ofSeconds(60),
                        l ->
                                l.stream()
                                        .anyMatch(
                                                c ->
                                                        c.value != null
                                                                && new String(
                                                                                c.value,
                                                                                java.nio.charset
                                                                                        .StandardCharsets
                                                                                        .ISO_8859_1)
                                                                        .contains("after")));
        cluster.cancelJob(job).get();

        assertThat(SEEN_AT_FAILURE.get())
                .as("the job failed in the middle of the snapshot")
                .isBetween(1, rows - 1);
        assertThat(COMMITTED_AT_FAILURE.get())
                .as("a checkpoint holding snapshot rows completed before the failure")
                .isBetween(1, rows - 1);
        Schema schema = ((CdcPlannedSource) planned).tables().get(0).schema.valueSchema();
        List<GenericRecord> values = CaptureJobs.decode(registry.url(), schema, changes);
        List<Integer> ids = new ArrayList<>();
        List<String> reads = new ArrayList<>();
        for (GenericRecord v : values) {
            ids.add((Integer) v.get("id"));
            reads.add(v.get("__op").toString());
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= rows + 1; i++) {
            expected.add(i);
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(reads.subList(0, rows)).containsOnly("r");
        assertThat(reads.get(rows)).isEqualTo("c");
        List<String> eventIds = CaptureJobs.eventIds(values);
        assertThat(new HashSet<>(eventIds)).hasSize(rows + 1);
    }

    /**
     * Passes changes through; on its first attempt, once a completed checkpoint has committed
     * changes, fails at the next change (in the middle of a large snapshot). Throttles that first
     * attempt a little so the snapshot outlasts a few checkpoints on a fast machine.
     */
    static final class FailMidSnapshot
            implements org.apache.flink.api.common.functions.MapFunction<
                            CapturedChange, CapturedChange>,
                    org.apache.flink.api.common.state.CheckpointListener {
        private static final long serialVersionUID = 1L;
        private final String sinkName;
        private transient int seen;
        private transient boolean armed;

        FailMidSnapshot(String sinkName) {
            this.sinkName = sinkName;
        }

        @Override
        public CapturedChange map(CapturedChange value) {
            if (SEEN_AT_FAILURE.get() > 0) {
                return value;
            }
            seen++;
            if (armed) {
                COMMITTED_AT_FAILURE.set(CommittingCollectSink.committed(sinkName).size());
                SEEN_AT_FAILURE.set(seen);
                throw new IllegalStateException("injected failure during the snapshot");
            }
            if (seen % 20 == 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (SEEN_AT_FAILURE.get() == 0
                    && !CommittingCollectSink.committed(sinkName).isEmpty()) {
                armed = true;
            }
        }
    }

    private static String decimal(Object avro, int scale) {
        if (avro == null) {
            return "null";
        }
        return new java.math.BigDecimal(new java.math.BigInteger(bytes((ByteBuffer) avro)), scale)
                .toPlainString();
    }

    private static void assertRefused(String pointer, String message, Object... config) {
        ConfigValidationException e =
                catchThrowableOfType(ConfigValidationException.class, () -> plan("bad", config));
        assertThat(e).as("planning %s", java.util.Arrays.toString(config)).isNotNull();
        assertThat(e.pointer()).isEqualTo(pointer);
        assertThat(e.getMessage()).contains(message);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
