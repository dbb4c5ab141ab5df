package dev.sluice.it.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.controller.runtime.PlatformConfig;
import dev.sluice.controller.runtime.SluicePlatform;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroDecoder;
import dev.sluice.schemas.serde.ConfluentWireFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The embedded platform driven as a user drives it (HTTP, a read_committed consumer), for the CDC
 * integration tests: its own broker (whose data outlives a platform restart on the same data
 * directory), ephemeral ports, and {@code ${env:NAME}} secrets from a map.
 */
final class CdcPlatform implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final SluicePlatform platform;
    private final String apiUrl;
    private final String bootstrapServers;
    private final String registryUrl;

    private CdcPlatform(
            SluicePlatform platform, String apiUrl, String bootstrapServers, String registryUrl) {
        this.platform = platform;
        this.apiUrl = apiUrl;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
    }

    static CdcPlatform start(Path dataDir, Map<String, String> secrets) throws Exception {
        SluicePlatform platform =
                SluicePlatform.start(
                        PlatformConfig.builder()
                                .dataDir(dataDir)
                                .apiPort(0)
                                .flinkPort(0)
                                .registryPort(0)
                                .kafkaPort(0)
                                .taskSlots(8)
                                .secrets(secrets::get)
                                .build());
        return new CdcPlatform(
                platform, platform.apiUrl(), platform.bootstrapServers(), platform.registryUrl());
    }

    /** A platform running in another process, known by its addresses. */
    static CdcPlatform remote(String apiUrl, String bootstrapServers, String registryUrl) {
        return new CdcPlatform(null, apiUrl, bootstrapServers, registryUrl);
    }

    /** An HTTP call: status and body. */
    HttpResponse<String> call(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(apiUrl + path))
                        .timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the pipeline reports {@code state}; fails early if it FAILED. */
    JsonNode awaitState(String pipeline, String state, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(
                        () -> {
                            last[0] =
                                    JSON.readTree(
                                            call("GET", "/api/v1/pipelines/" + pipeline, null)
                                                    .body());
                            String now = last[0].path("state").asText();
                            if (!"FAILED".equals(state) && "FAILED".equals(now)) {
                                throw new AssertionError(pipeline + " FAILED: " + last[0]);
                            }
                            assertThat(now)
                                    .as("state of %s: %s", pipeline, last[0])
                                    .isEqualTo(state);
                        });
        return last[0];
    }

    /**
     * Reads a topic from the beginning, read_committed, until {@code expected} records arrived and
     * then 3 s more (so duplicates would be seen).
     */
    List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "it-" + topic + "-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < deadline && System.nanoTime() < quietUntil) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return out;
    }

    /** Decodes values with the registry (tombstones as {@code null}). */
    List<GenericRecord> decode(List<ConsumerRecord<byte[], byte[]>> records) {
        HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(registryUrl);
        List<GenericRecord> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.value() == null) {
                out.add(null);
                continue;
            }
            Schema writer = registry.getById(ConfluentWireFormat.schemaIdOf(r.value()));
            out.add(new ConfluentAvroDecoder(writer, registry::getById).decode(r.value()));
        }
        return out;
    }

    HttpSchemaRegistryClient registry() {
        return new HttpSchemaRegistryClient(registryUrl);
    }

    /** Stops the platform cleanly (jobs stopped with savepoints). */
    @Override
    public void close() {
        if (platform != null) {
            platform.close();
        }
    }
}
