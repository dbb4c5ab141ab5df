package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.controller.runtime.SluicePlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What every benchmark does with the embedded platform: apply a pipeline over REST and learn when
 * its Flink jobs started running, read JSON, delete a pipeline, and wait until a topic's committed
 * end reaches a count.
 */
final class BenchPlatform {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private BenchPlatform() {}

    /**
     * Applies a pipeline; for a streaming one, returns the earliest RUNNING timestamp of its Flink
     * jobs (a batch one returns 0 at once: it runs on request).
     */
    static long apply(SluicePlatform platform, String name, String body) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(platform.apiUrl() + "/api/v1/pipelines/" + name))
                                .PUT(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("apply failed: " + r.body());
        }
        if (body.contains("\"mode\": \"batch\"")) {
            return 0;
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode p = get(platform.apiUrl() + "/api/v1/pipelines/" + name);
            if (p.path("state").asText().equals("FAILED")) {
                throw new IllegalStateException("pipeline failed: " + p);
            }
            if (p.path("state").asText().equals("RUNNING")) {
                long earliest = Long.MAX_VALUE;
                boolean all = true;
                for (JsonNode jobId : p.path("jobIds")) {
                    JsonNode job = get(platform.flinkUrl() + "/jobs/" + jobId.asText());
                    long running = job.path("timestamps").path("RUNNING").asLong(0);
                    all &= running > 0;
                    earliest = Math.min(earliest, running);
                }
                if (all && earliest != Long.MAX_VALUE) {
                    return earliest;
                }
            }
            Thread.sleep(20); // polling the controller with a deadline
        }
        throw new IllegalStateException("pipeline " + name + " did not reach RUNNING");
    }

    static void delete(SluicePlatform platform, String name) throws Exception {
        HTTP.send(
                HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/api/v1/pipelines/" + name))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode get(String url) throws Exception {
        return JSON.readTree(
                HTTP.send(
                                HttpRequest.newBuilder(URI.create(url)).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
    }

    /** Waits until the committed end of partition 0 of {@code topic} holds {@code expected}. */
    static void awaitCommitted(String bootstrap, String topic, long expected) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (System.nanoTime() < deadline) {
                long lso;
                try {
                    lso =
                            admin.listOffsets(
                                            Map.of(tp, OffsetSpec.latest()),
                                            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                                    .all()
                                    .get()
                                    .get(tp)
                                    .offset();
                } catch (Exception e) {
                    lso = 0;
                }
                // Transaction markers take offsets too, so the count is reached a few markers
                // early.
                if (lso >= expected) {
                    return;
                }
                Thread.sleep(100); // polling the broker with a deadline
            }
            throw new IllegalStateException(topic + " did not reach " + expected + " records");
        }
    }
}
