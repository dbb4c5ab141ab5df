package dev.sluice.it.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.db.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A column added to a captured PostgreSQL table while the platform streams it: the capture
 * registers the table's next schema version, the capturing pipeline is upgraded so its pass-through
 * sink carries the column, and a pipeline with an explicit projection of the topic keeps its shape
 * and its job.
 */
class CdcSchemaEvolutionITCase {
    private static final Duration WAIT = Duration.ofSeconds(90);

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

    private static String jobId(String pipeline) throws Exception {
        return CdcPlatform.JSON
                .readTree(platform.call("GET", "/api/v1/pipelines/" + pipeline, null).body())
                .path("jobId")
                .asText();
    }

    @Test
    void anAddedColumnReachesPassThroughSinksAndProjectionsKeepTheirShape() throws Exception {
        pg.createDatabase("shop");
        pg.execute(
                "shop",
                "GRANT CREATE ON DATABASE shop TO cdc",
                "CREATE TABLE items (id INT PRIMARY KEY, name TEXT)",
                "ALTER TABLE items OWNER TO cdc",
                "INSERT INTO items VALUES (1, 'pen'), (2, 'ink')");
        String capture =
                "{\"name\": \"items-cdc\", \"sources\": [{\"id\": \"items\", \"type\":"
                        + " \"postgres-cdc\", \"config\": {\"hostname\": \""
                        + pg.host()
                        + "\", \"port\": "
                        + pg.port()
                        + ", \"database\": \"shop\", \"username\": \"cdc\", \"password\":"
                        + " \"${env:CDC_PASSWORD}\", \"tables\": [\"public.items\"],"
                        + " \"heartbeat.interval\": \"PT1S\"}}], \"sinks\": [{\"id\": \"copy\","
                        + " \"type\": \"kafka\", \"inputs\": [\"items\"], \"config\": {\"topic\":"
                        + " \"it.items.copy\"}}]}";
        assertThat(platform.call("PUT", "/api/v1/pipelines/items-cdc", capture).statusCode())
                .isEqualTo(201);
        platform.awaitState("items-cdc", "RUNNING", WAIT);
        String topic = "items-cdc.items.public.items";
        assertThat(platform.consume(topic, 2, WAIT)).hasSize(2);
        String names =
                "{\"name\": \"item-names\", \"sources\": [{\"id\": \"items\", \"type\": \"kafka\","
                        + " \"config\": {\"topic\": \""
                        + topic
                        + "\"}}], \"processors\": [{\"id\": \"names\", \"type\": \"project\","
                        + " \"inputs\": [\"items\"], \"config\": {\"fields\": {\"item\": \"id\","
                        + " \"label\": \"UPPER(name)\"}}}], \"sinks\": [{\"id\": \"out\","
                        + " \"type\": \"kafka\", \"inputs\": [\"names\"], \"config\": {\"topic\":"
                        + " \"it.items.names\"}}]}";
        assertThat(platform.call("PUT", "/api/v1/pipelines/item-names", names).statusCode())
                .isEqualTo(201);
        platform.awaitState("item-names", "RUNNING", WAIT);
        assertThat(platform.consume("it.items.names", 2, WAIT)).hasSize(2);
        String captureJob = jobId("items-cdc");
        String namesJob = jobId("item-names");

        pg.execute(
                "shop",
                "ALTER TABLE items ADD COLUMN color TEXT",
                "INSERT INTO items VALUES (3, 'cap', 'red')");
        // The capture registers version 2 with the column; the capturing pipeline is upgraded.
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            JsonNode p =
                                    CdcPlatform.JSON.readTree(
                                            platform.call(
                                                            "GET",
                                                            "/api/v1/pipelines/items-cdc",
                                                            null)
                                                    .body());
                            return p.path("state").asText().equals("RUNNING")
                                    && !p.path("jobId").asText().equals(captureJob);
                        });
        pg.execute("shop", "INSERT INTO items VALUES (4, 'hat', 'blue')");
        List<GenericRecord> copies = platform.decode(platform.consume("it.items.copy", 4, WAIT));
        GenericRecord last = copies.get(copies.size() - 1);
        assertThat(last.get("id")).isEqualTo(4);
        assertThat(last.get("color").toString()).isEqualTo("blue");
        Schema copySchema = platform.registry().getLatest("it.items.copy-value").get().schema();
        assertThat(copySchema.getField("color")).isNotNull();
        List<GenericRecord> source = platform.decode(platform.consume(topic, 4, WAIT));
        assertThat(source)
                .extracting(r -> r.get("id") + ":" + r.get("__op"))
                .containsExactly("1:r", "2:r", "3:c", "4:c");

        // The projection keeps its shape and its job, and sees the new rows.
        List<GenericRecord> labels = platform.decode(platform.consume("it.items.names", 4, WAIT));
        assertThat(labels)
                .extracting(r -> r.get("item") + ":" + r.get("label"))
                .containsExactly("1:PEN", "2:INK", "3:CAP", "4:HAT");
        assertThat(labels.get(3).getSchema().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("item", "label");
        assertThat(jobId("item-names")).isEqualTo(namesJob);
    }
}
