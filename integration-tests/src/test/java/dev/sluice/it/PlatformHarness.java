package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.controller.runtime.PlatformConfig;
import dev.sluice.controller.runtime.SluicePlatform;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroDecoder;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
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
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Drives a real embedded platform the way a user does: over HTTP, with a registry-aware producer
 * and a read_committed consumer. Ports are ephemeral so tests never collide with a running {@code
 * sluice up}.
 */
final class PlatformHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final KafkaEnvironment kafka;
    private SluicePlatform platform;
    private String apiUrl;
    private String bootstrapServers;
    private String registryUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    PlatformHarness(Path dataDir, KafkaEnvironment kafka) {
        this.dataDir = dataDir;
        this.kafka = kafka;
    }

    /** A harness for a platform running in another process, known by its addresses. */
    static PlatformHarness remote(String apiUrl, String bootstrapServers, String registryUrl) {
        PlatformHarness h = new PlatformHarness(null, null);
        h.apiUrl = apiUrl;
        h.bootstrapServers = bootstrapServers;
        h.registryUrl = registryUrl;
        return h;
    }

    PlatformHarness start() throws Exception {
        return start(b -> {});
    }

    /** Starts the platform with extra settings (an external Flink cluster, ...). */
    PlatformHarness start(java.util.function.Consumer<PlatformConfig.Builder> customize)
            throws Exception {
        PlatformConfig.Builder config =
                PlatformConfig.builder()
                        .dataDir(dataDir)
                        .apiPort(0)
                        .flinkPort(0)
                        .registryPort(0)
                        .kafkaPort(0)
                        .taskSlots(8);
        kafka.externalBootstrapServers().ifPresent(config::externalKafka);
        customize.accept(config);
        platform = SluicePlatform.start(config.build());
        apiUrl = platform.apiUrl();
        bootstrapServers = platform.bootstrapServers();
        registryUrl = platform.registryUrl();
        return this;
    }

    /** Stops the platform cleanly (jobs stopped with savepoints). */
    void stop() {
        if (platform != null) {
            platform.close();
            platform = null;
        }
    }

    SluicePlatform platform() {
        return platform;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String apiUrl() {
        return apiUrl;
    }

    HttpSchemaRegistryClient registry() {
        return new HttpSchemaRegistryClient(registryUrl);
    }

    /** An HTTP call to the controller: status and parsed JSON body. */
    Response call(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(apiUrl + path))
                        .timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/json");
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    /** Waits until the pipeline reports {@code state}; fails with its last body otherwise. */
    JsonNode awaitState(String pipeline, String state, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .failFast(
                        "pipeline " + pipeline + " FAILED",
                        () -> {
                            if (!state.equals("FAILED") && last[0] != null) {
                                assertThat(last[0].path("state").asText())
                                        .as("%s failed: %s", pipeline, last[0])
                                        .isNotEqualTo("FAILED");
                            }
                        })
                .untilAsserted(
                        () -> {
                            Response r = call("GET", "/api/v1/pipelines/" + pipeline, null);
                            last[0] = r.json();
                            assertThat(r.json().path("state").asText())
                                    .as("state of %s: %s", pipeline, r.body)
                                    .isEqualTo(state);
                        });
        return last[0];
    }

    /**
     * Registers {@code schema} for {@code topic} and produces the records, keyed, transactionally.
     */
    void produce(String topic, Schema schema, List<byte[]> keys, List<GenericRecord> values) {
        int id = registry().register(topic + "-value", schema);
        ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(id, schema);
        List<byte[]> encoded = new ArrayList<>();
        values.forEach(v -> encoded.add(encoder.encode(v)));
        produceRaw(topic, keys, encoded);
    }

    /** Produces raw values (for poison input). */
    void produceRaw(String topic, List<byte[]> keys, List<byte[]> values) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        props.put("enable.idempotence", "true");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, keys.get(i), values.get(i)));
            }
            producer.flush();
        }
    }

    /**
     * Reads a topic from the beginning with read_committed until {@code expected} records arrived
     * and no more come for a short while (so duplicates would be seen).
     */
    List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
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
                int before = out.size();
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected
                        && out.size() == before
                        && quietUntil == Long.MAX_VALUE) {
                    // Enough arrived: keep listening for 3 more seconds to catch duplicates.
                    quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return out;
    }

    /** Decodes Confluent-framed values with the registry. */
    List<GenericRecord> decode(List<ConsumerRecord<byte[], byte[]>> records) {
        HttpSchemaRegistryClient registry = registry();
        List<GenericRecord> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.value() == null) {
                continue;
            }
            Schema writer = registry.getById(ConfluentWireFormat.schemaIdOf(r.value()));
            out.add(new ConfluentAvroDecoder(writer, registry::getById).decode(r.value()));
        }
        return out;
    }

    @Override
    public void close() {
        stop();
    }

    /** An HTTP answer. */
    static final class Response {
        final int status;
        final String body;

        Response(int status, String body) {
            this.status = status;
            this.body = body;
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }
}
