package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform started again on the same data directory has its topics, schemas and pipelines back
 * and resumes each pipeline from where it stopped: after a clean stop, and after kill -9 of the
 * whole platform process. Nothing lost, nothing duplicated (read_committed).
 */
class PlatformRestartITCase {
    private static KafkaEnvironment kafka;

    @BeforeAll
    static void chooseKafka() {
        // A restart test needs the broker's data to outlive the platform: use the embedded broker.
        kafka = KafkaEnvironment.embeddedOnly();
    }

    @AfterAll
    static void closeKafka() {
        kafka.close();
    }

    @Test
    void aCleanlyStoppedPlatformResumesItsPipelinesWithNothingLostOrDuplicated(@TempDir Path dir)
            throws Exception {
        try (PlatformHarness first = new PlatformHarness(dir, kafka).start()) {
            first.produce("it.orders.r", Orders.SCHEMA, Orders.keys(0, 20), Orders.orders(0, 20));
            first.call(
                    "PUT",
                    "/api/v1/pipelines/restart-r",
                    Orders.pipeline("restart-r", "it.orders.r", "it.paid.r", "status = 'PAID'"));
            first.awaitState("restart-r", "RUNNING", Duration.ofSeconds(90));
            assertThat(first.consume("it.paid.r", 10, Duration.ofSeconds(60))).hasSize(10);
        }
        try (PlatformHarness second = new PlatformHarness(dir, kafka).start()) {
            JsonNode state = second.awaitState("restart-r", "RUNNING", Duration.ofSeconds(90));
            assertThat(state.path("jobId").asText()).hasSize(32);
            assertThat(second.registry().getLatest("it.paid.r-value")).isPresent();
            second.produce(
                    "it.orders.r", Orders.SCHEMA, Orders.keys(20, 40), Orders.orders(20, 40));
            assertThat(second.decode(second.consume("it.paid.r", 20, Duration.ofSeconds(60))))
                    .extracting(r -> (Long) r.get("order_id"))
                    .containsExactlyElementsOf(evens(0, 40));
        }
    }

    @Test
    void aPlatformKilledWithSigkillResumesFromItsLatestCheckpoint(@TempDir Path dir)
            throws Exception {
        int api = ChildPlatforms.freePort();
        int flink = ChildPlatforms.freePort();
        int registry = ChildPlatforms.freePort();
        int kafkaPort = ChildPlatforms.freePort();
        Process child =
                new ProcessBuilder(
                                ChildPlatforms.javaCommand(
                                        "up",
                                        "--data-dir",
                                        dir.toString(),
                                        "--api-port",
                                        String.valueOf(api),
                                        "--flink-port",
                                        String.valueOf(flink),
                                        "--registry-port",
                                        String.valueOf(registry),
                                        "--kafka-port",
                                        String.valueOf(kafkaPort),
                                        "--task-slots",
                                        "4"))
                        .redirectErrorStream(true)
                        .redirectOutput(
                                dir.resolveSibling(dir.getFileName() + "-child.log").toFile())
                        .start();
        try {
            String apiUrl = "http://127.0.0.1:" + api;
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> get(http, apiUrl + "/health").statusCode() == 200);
            PlatformHarness remote =
                    PlatformHarness.remote(
                            apiUrl, "127.0.0.1:" + kafkaPort, "http://127.0.0.1:" + registry);
            remote.produce("it.orders.k", Orders.SCHEMA, Orders.keys(0, 40), Orders.orders(0, 40));
            remote.call(
                    "PUT",
                    "/api/v1/pipelines/kill-k",
                    Orders.pipeline("kill-k", "it.orders.k", "it.paid.k", "status = 'PAID'"));
            remote.awaitState("kill-k", "RUNNING", Duration.ofSeconds(90));
            assertThat(remote.consume("it.paid.k", 20, Duration.ofSeconds(60))).hasSize(20);
            // Wait for a completed checkpoint after the output, then add records and kill -9.
            Path checkpoints = dir.resolve("checkpoints").resolve("kill-k");
            long before = ChildPlatforms.newestCheckpoint(checkpoints);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> ChildPlatforms.newestCheckpoint(checkpoints) > before);
            remote.produce(
                    "it.orders.k", Orders.SCHEMA, Orders.keys(40, 60), Orders.orders(40, 60));
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }

        try (PlatformHarness revived = new PlatformHarness(dir, kafka).start()) {
            revived.awaitState("kill-k", "RUNNING", Duration.ofSeconds(120));
            revived.produce(
                    "it.orders.k", Orders.SCHEMA, Orders.keys(60, 80), Orders.orders(60, 80));
            assertThat(revived.decode(revived.consume("it.paid.k", 40, Duration.ofSeconds(90))))
                    .extracting(r -> (Long) r.get("order_id"))
                    .containsExactlyElementsOf(evens(0, 80));
        }
    }

    static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<Long> evens(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            if (i % 2 == 0) {
                out.add(i);
            }
        }
        return out;
    }
}
