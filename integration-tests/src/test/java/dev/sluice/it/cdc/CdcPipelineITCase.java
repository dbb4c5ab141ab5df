package dev.sluice.it.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testing.db.MariaDbServer;
import dev.sluice.testing.db.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CDC pipelines on the embedded platform, over its REST API: {@code postgres-cdc} writes its
 * source-fronting topic and feeds a {@code kafka} sink in the same job; deleting the pipeline drops
 * its replication slot; {@code mysql-cdc} captures MariaDB.
 */
class CdcPipelineITCase {
    private static final Duration DEPLOY = Duration.ofSeconds(90);

    @TempDir static Path dataDir;
    private static PostgresServer pg;
    private static CdcPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createReplicationRole("cdc", "secret");
        platform = CdcPlatform.start(dataDir, Map.of("CDC_PASSWORD", "secret"));
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

    static String pipeline(
            String name, String type, String connection, String tables, String sinkTopic) {
        return "{\"name\": \""
                + name
                + "\", \"owner\": \"it\",\n"
                + " \"sources\": [{\"id\": \"movies\", \"type\": \""
                + type
                + "\", \"config\": {"
                + connection
                + ", \"username\": \"cdc\", \"password\": \"${env:CDC_PASSWORD}\", \"tables\": "
                + tables
                + ", \"heartbeat.interval\": \"PT1S\"}}],\n"
                + " \"processors\": [],\n"
                + " \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\": [\"movies\"],"
                + " \"config\": {\"topic\": \""
                + sinkTopic
                + "\"}}]}";
    }

    @Test
    void testPostgresChangesReachTheSourceTopicAndTheSinkAndDeleteDropsTheSlot() throws Exception {
        pg.createDatabase("studio");
        pg.execute(
                "studio",
                "GRANT CREATE ON DATABASE studio TO cdc",
                "CREATE TABLE movies (id INT PRIMARY KEY, title TEXT, status TEXT)",
                "ALTER TABLE movies OWNER TO cdc",
                "INSERT INTO movies VALUES (1, 'Alien', 'RELEASED'), (2, 'Heat', 'RELEASED'),"
                        + " (3, 'Ran', 'DRAFT')");
        String body =
                pipeline(
                        "studio-cdc",
                        "postgres-cdc",
                        "\"hostname\": \""
                                + pg.host()
                                + "\", \"port\": "
                                + pg.port()
                                + ", \"database\": \"studio\"",
                        "[\"public.movies\"]",
                        "it.cdc.movies.out");
        assertThat(platform.call("PUT", "/api/v1/pipelines/studio-cdc", body).statusCode())
                .isEqualTo(201);
        platform.awaitState("studio-cdc", "RUNNING", DEPLOY);
        String topic = "studio-cdc.movies.public.movies";
        platform.consume(topic, 3, Duration.ofSeconds(60)); // the initial snapshot is in
        pg.execute(
                "studio",
                "INSERT INTO movies VALUES (4, 'Up', 'RELEASED')",
                "UPDATE movies SET status = 'RELEASED' WHERE id = 3",
                "DELETE FROM movies WHERE id = 2");

        List<ConsumerRecord<byte[], byte[]>> records =
                platform.consume(topic, 7, Duration.ofSeconds(60));
        List<GenericRecord> values = platform.decode(records);
        assertThat(ops(values))
                .containsExactly("r:1", "r:2", "r:3", "c:4", "u:3", "d:2", "tombstone");
        assertThat(records.get(6).key()).isEqualTo(records.get(5).key());
        assertThat(platform.registry().getLatest(topic + "-key")).isPresent();
        List<String> ids = eventIds(values);
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);

        List<GenericRecord> out =
                platform.decode(platform.consume("it.cdc.movies.out", 7, Duration.ofSeconds(30)));
        assertThat(ops(out)).containsExactlyElementsOf(ops(values));
        assertThat(eventIds(out)).containsExactlyElementsOf(ids);

        assertThat(platform.call("DELETE", "/api/v1/pipelines/studio-cdc", null).statusCode())
                .isBetween(200, 204);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () ->
                                "0"
                                        .equals(
                                                query(
                                                        "studio",
                                                        "SELECT count(*) FROM pg_replication_slots")));
    }

    @Test
    void testMariaDbChangesReachTheSourceTopic() throws Exception {
        try (MariaDbServer maria = MariaDbServer.start()) {
            maria.createDatabase("shop");
            maria.createCaptureUser("cdc", "secret", "shop");
            maria.execute(
                    "shop",
                    "CREATE TABLE movies (id INT PRIMARY KEY, title VARCHAR(40))",
                    "INSERT INTO movies VALUES (1, 'Alien')");
            String body =
                    pipeline(
                            "shop-cdc",
                            "mysql-cdc",
                            "\"hostname\": \""
                                    + maria.host()
                                    + "\", \"port\": "
                                    + maria.port()
                                    + ", \"database\": \"shop\"",
                            "[\"movies\"]",
                            "it.cdc.shop.out");
            assertThat(platform.call("PUT", "/api/v1/pipelines/shop-cdc", body).statusCode())
                    .isEqualTo(201);
            platform.awaitState("shop-cdc", "RUNNING", DEPLOY);
            // Least privilege (no RELOAD) snapshots without locks: change rows once it is done.
            platform.consume("shop-cdc.movies.shop.movies", 1, Duration.ofSeconds(60));
            maria.execute(
                    "shop",
                    "INSERT INTO movies VALUES (2, 'Heat')",
                    "UPDATE movies SET title = 'Alien (1979)' WHERE id = 1");

            List<GenericRecord> values =
                    platform.decode(
                            platform.consume(
                                    "shop-cdc.movies.shop.movies", 3, Duration.ofSeconds(60)));
            assertThat(ops(values)).containsExactly("r:1", "c:2", "u:1");
            assertThat(values.get(2).get("title").toString()).isEqualTo("Alien (1979)");
            assertThat(((GenericRecord) values.get(2).get("__before")).get("title").toString())
                    .isEqualTo("Alien");
            platform.call("DELETE", "/api/v1/pipelines/shop-cdc", null);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    platform.call("GET", "/api/v1/pipelines/shop-cdc", null)
                                                    .statusCode()
                                            == 404);
        }
    }

    static List<String> ops(List<GenericRecord> values) {
        List<String> ops = new ArrayList<>();
        for (GenericRecord v : values) {
            ops.add(v == null ? "tombstone" : v.get("__op") + ":" + v.get("id"));
        }
        return ops;
    }

    static List<String> eventIds(List<GenericRecord> values) {
        List<String> ids = new ArrayList<>();
        for (GenericRecord v : values) {
            if (v != null) {
                ids.add(v.get("__event_id").toString());
            }
        }
        return ids;
    }

    private static String query(String db, String sql) throws Exception {
        try (Connection c = pg.connectAsSuperuser(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
