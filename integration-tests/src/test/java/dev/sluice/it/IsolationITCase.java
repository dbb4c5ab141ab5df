package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isolation: per-processor}: the same pipeline as one Flink job per processor joined by
 * intermediate topics, with the same exact output, dead letters and pause/resume as fused.
 */
class IsolationITCase {
    private static final Duration DEPLOY = Duration.ofSeconds(120);

    @TempDir static Path dataDir;
    private static KafkaEnvironment kafka;
    private static PlatformHarness platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        kafka = KafkaEnvironment.choose();
        platform = new PlatformHarness(dataDir, kafka).start();
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String pipeline() {
        return "{\"name\": \"iso\", \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\","
                + " \"config\": {\"topic\": \"it.iso.orders\"}}],"
                + " \"processors\": ["
                + "{\"id\": \"paid\", \"type\": \"filter\", \"inputs\": [\"orders\"],"
                + " \"config\": {\"condition\": \"status = 'PAID'\"}},"
                + " {\"id\": \"slim\", \"type\": \"project\", \"inputs\": [\"paid\"], \"config\":"
                + " {\"fields\": {\"order_id\": \"id\", \"customer\": \"UPPER(customer)\","
                + " \"amount\": \"amount\"}}},"
                + " {\"id\": \"large\", \"type\": \"filter\", \"inputs\": [\"slim\"],"
                + " \"config\": {\"condition\": \"amount >= 20\"}}],"
                + " \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\": [\"large\"],"
                + " \"config\": {\"topic\": \"it.iso.out\"}}],"
                + " \"options\": {\"isolation\": \"per-processor\"}}";
    }

    @Test
    void perProcessorPipelineRunsAJobPerProcessorWithTheSameExactOutput() throws Exception {
        platform.produce(
                "it.iso.orders", Orders.SCHEMA, Orders.keys(0, 100), Orders.orders(0, 100));
        // Not Confluent framing: the source's decode step dead-letters it in the first job.
        platform.produceRaw(
                "it.iso.orders",
                List.of("poison".getBytes(StandardCharsets.UTF_8)),
                List.of("not avro".getBytes(StandardCharsets.UTF_8)));

        PlatformHarness.Response applied =
                platform.call("PUT", "/api/v1/pipelines/iso", pipeline());
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        JsonNode running = platform.awaitState("iso", "RUNNING", DEPLOY);

        assertThat(running.path("jobIds")).hasSize(3);
        assertThat(running.path("topics").path("intermediate").toString())
                .isEqualTo("[\"sluice.iso.paid\",\"sluice.iso.slim\"]");
        List<String> jobNames = new ArrayList<>();
        running.path("plan").path("jobs").forEach(j -> jobNames.add(j.path("name").asText()));
        assertThat(jobNames)
                .containsExactly("sluice:iso/paid", "sluice:iso/slim", "sluice:iso/large");
        assertThat(runningFlinkJobs())
                .contains("sluice:iso/paid", "sluice:iso/slim", "sluice:iso/large");

        List<Long> expected = expectedIds(0, 100);
        assertOutput(expected);
        List<GenericRecord> dead =
                platform.decode(platform.consume("sluice.dlq.iso", 1, Duration.ofSeconds(60)));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("processor_id").toString()).isEqualTo("orders");
        assertThat(dead.get(0).get("source_topic").toString()).isEqualTo("it.iso.orders");

        // Pause stops every job with a savepoint; records produced meanwhile flow once resumed,
        // and nothing is duplicated by the three jobs' restarts.
        PlatformHarness.Response paused =
                platform.call("POST", "/api/v1/pipelines/iso/pause", null);
        assertThat(paused.status).as(paused.body).isEqualTo(200);
        assertThat(paused.json().path("state").asText()).isEqualTo("PAUSED");
        assertThat(runningFlinkJobs())
                .doesNotContain("sluice:iso/paid", "sluice:iso/slim", "sluice:iso/large");
        platform.produce(
                "it.iso.orders", Orders.SCHEMA, Orders.keys(100, 160), Orders.orders(100, 160));
        PlatformHarness.Response resumed =
                platform.call("POST", "/api/v1/pipelines/iso/resume", null);
        assertThat(resumed.status).as(resumed.body).isEqualTo(200);
        platform.awaitState("iso", "RUNNING", DEPLOY);
        assertOutput(expectedIds(0, 160));

        PlatformHarness.Response deleted = platform.call("DELETE", "/api/v1/pipelines/iso", null);
        assertThat(deleted.status).as(deleted.body).isEqualTo(200);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(runningFlinkJobs())
                                        .doesNotContain(
                                                "sluice:iso/paid",
                                                "sluice:iso/slim",
                                                "sluice:iso/large"));
    }

    private static List<Long> expectedIds(long from, long to) {
        List<Long> ids = new ArrayList<>();
        for (long i = from; i < to; i++) {
            if (i % 2 == 0 && i >= 20) {
                ids.add(i);
            }
        }
        return ids;
    }

    private static void assertOutput(List<Long> expected) throws Exception {
        List<GenericRecord> values =
                platform.decode(
                        platform.consume("it.iso.out", expected.size(), Duration.ofSeconds(90)));
        List<Long> ids = new ArrayList<>();
        for (GenericRecord v : values) {
            ids.add((Long) v.get("order_id"));
            assertThat(v.get("customer").toString())
                    .isEqualTo(
                            Orders.order((Long) v.get("order_id"))
                                    .get("customer")
                                    .toString()
                                    .toUpperCase());
        }
        assertThat(ids).containsExactlyElementsOf(expected);
    }

    private static List<String> runningFlinkJobs() throws Exception {
        HttpResponse<String> overview =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        platform.platform().flinkUrl()
                                                                + "/jobs/overview"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        List<String> names = new ArrayList<>();
        PlatformHarness.JSON
                .readTree(overview.body())
                .path("jobs")
                .forEach(
                        j -> {
                            if (j.path("state").asText().equals("RUNNING")) {
                                names.add(j.path("name").asText());
                            }
                        });
        return names;
    }
}
