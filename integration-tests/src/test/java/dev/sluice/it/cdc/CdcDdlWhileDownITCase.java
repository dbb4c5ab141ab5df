package dev.sluice.it.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.db.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A column added while the platform is down: the changes committed before and after the DDL all
 * arrive once the platform is back, in order and exactly once, the later ones with the column, and
 * the topic's subject has the table's new version.
 */
class CdcDdlWhileDownITCase {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Map<String, String> SECRETS = Map.of("CDC_PASSWORD", "secret");
    private static PostgresServer pg;

    @BeforeAll
    static void start() {
        pg = PostgresServer.start();
        pg.createReplicationRole("cdc", "secret");
        pg.createDatabase("depot");
        pg.execute(
                "depot",
                "GRANT CREATE ON DATABASE depot TO cdc",
                "CREATE TABLE parts (id INT PRIMARY KEY, name TEXT)",
                "ALTER TABLE parts OWNER TO cdc",
                "INSERT INTO parts VALUES (1, 'bolt')");
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void changesAroundADdlMadeWhileThePlatformWasDownArriveOnce(@TempDir Path dir)
            throws Exception {
        String body =
                CdcPipelineITCase.pipeline(
                        "parts",
                        "postgres-cdc",
                        "\"hostname\": \""
                                + pg.host()
                                + "\", \"port\": "
                                + pg.port()
                                + ", \"database\": \"depot\"",
                        "[\"public.parts\"]",
                        "it.parts.copy");
        // The pipeline's source id is "movies" (the shared helper's), hence the topic prefix.
        String topic = "parts.movies.public.parts";
        try (CdcPlatform first = CdcPlatform.start(dir, SECRETS)) {
            assertThat(first.call("PUT", "/api/v1/pipelines/parts", body).statusCode())
                    .isEqualTo(201);
            first.awaitState("parts", "RUNNING", WAIT);
            assertThat(first.consume(topic, 1, WAIT)).hasSize(1); // the snapshot is in
            pg.execute("depot", "INSERT INTO parts VALUES (2, 'nut')");
            assertThat(first.consume(topic, 2, WAIT)).hasSize(2);
        }
        // Down: a change, the DDL, a change with the new column.
        pg.execute(
                "depot",
                "INSERT INTO parts VALUES (3, 'washer')",
                "ALTER TABLE parts ADD COLUMN size INT",
                "INSERT INTO parts VALUES (4, 'screw', 8)",
                "UPDATE parts SET size = 5 WHERE id = 1");
        try (CdcPlatform second = CdcPlatform.start(dir, SECRETS)) {
            second.awaitState("parts", "RUNNING", WAIT);
            pg.execute("depot", "INSERT INTO parts VALUES (5, 'pin', 2)");
            List<GenericRecord> changes = second.decode(second.consume(topic, 6, WAIT));
            assertThat(changes)
                    .extracting(r -> r.get("id") + ":" + r.get("__op"))
                    .containsExactly("1:r", "2:c", "3:c", "4:c", "1:u", "5:c");
            assertThat(changes)
                    .extracting(r -> r.get("__event_id").toString())
                    .doesNotHaveDuplicates();
            GenericRecord screw = changes.get(3);
            assertThat(screw.get("size")).isEqualTo(8);
            assertThat(changes.get(4).get("size")).isEqualTo(5);
            assertThat(changes.get(5).get("size")).isEqualTo(2);
            assertThat(
                            second.registry()
                                    .getLatest(topic + "-value")
                                    .get()
                                    .schema()
                                    .getField("size"))
                    .isNotNull();
        }
    }
}
