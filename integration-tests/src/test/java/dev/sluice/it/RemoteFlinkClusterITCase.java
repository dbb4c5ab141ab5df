package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same pipeline on a Flink cluster the platform does not own, reached only through Flink's REST
 * API (here a separate Flink cluster in the test JVM; a standalone or Kubernetes session cluster
 * works the same way). When the build has produced the Sluice runtime jar, it travels with the job,
 * as it must to a real cluster.
 */
class RemoteFlinkClusterITCase {
    @TempDir static Path dataDir;
    private static MiniCluster cluster;
    private static String clusterUrl;
    private static KafkaEnvironment kafka;
    private static PlatformHarness platform;

    @BeforeAll
    static void start() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, 0);
        // This "remote" cluster shares the test JVM's class path, which has kafka-clients on it;
        // a real cluster does not. Load Kafka parent-first so the uploaded runtime jar's copy does
        // not clash; Sluice's own classes still come from the jar.
        conf.set(
                CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL,
                List.of("org.apache.kafka."));
        cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(4)
                                .build());
        cluster.start();
        clusterUrl = cluster.getRestAddress().get().toString();
        kafka = KafkaEnvironment.choose();
        Optional<Path> runtimeJar = runtimeJar();
        platform =
                new PlatformHarness(dataDir, kafka)
                        .start(
                                b -> {
                                    b.externalFlink(clusterUrl);
                                    runtimeJar.ifPresent(b::runtimeJar);
                                });
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPipelineRunsPausesAndResumesOnARemoteClusterThroughItsRestApi() throws Exception {
        assertThat(platform.platform().flinkUrl()).isEqualTo(clusterUrl);
        platform.produce("it.orders.x", Orders.SCHEMA, Orders.keys(0, 20), Orders.orders(0, 20));
        PlatformHarness.Response applied =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/remote-x",
                        Orders.pipeline("remote-x", "it.orders.x", "it.paid.x", "status = 'PAID'"));
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        JsonNode running = platform.awaitState("remote-x", "RUNNING", Duration.ofSeconds(120));
        String jobId = running.path("jobId").asText();

        JsonNode overview =
                PlatformHarness.JSON.readTree(
                        PlatformRestartITCase.get(
                                        HttpClient.newHttpClient(), clusterUrl + "/jobs/overview")
                                .body());
        List<String> jobs = new ArrayList<>();
        overview.path("jobs")
                .forEach(j -> jobs.add(j.path("jid").asText() + " " + j.path("name").asText()));
        assertThat(jobs).contains(jobId + " sluice:remote-x");

        assertThat(platform.decode(platform.consume("it.paid.x", 10, Duration.ofSeconds(60))))
                .extracting(r -> (Long) r.get("order_id"))
                .containsExactly(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L);

        PlatformHarness.Response paused =
                platform.call("POST", "/api/v1/pipelines/remote-x/pause", null);
        assertThat(paused.json().path("state").asText()).as(paused.body).isEqualTo("PAUSED");
        platform.produce("it.orders.x", Orders.SCHEMA, Orders.keys(20, 30), Orders.orders(20, 30));
        platform.call("POST", "/api/v1/pipelines/remote-x/resume", null);
        platform.awaitState("remote-x", "RUNNING", Duration.ofSeconds(120));
        assertThat(platform.decode(platform.consume("it.paid.x", 15, Duration.ofSeconds(60))))
                .extracting(r -> (Long) r.get("order_id"))
                .containsExactly(
                        0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L, 20L, 22L, 24L, 26L, 28L);
    }

    private static Optional<Path> runtimeJar() throws Exception {
        Path target = Path.of("..", "deploy", "target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().startsWith("sluice-runtime-"))
                    .filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .findFirst();
        }
    }
}
