package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.connectors.events.EventProducer;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroDecoder;
import dev.sluice.schemas.serde.ConfluentWireFormat;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application-event library: a service publishes domain events without a database, the catalog
 * lists the stream like a CDC table, and a pipeline reads it with a {@code kafka} source.
 */
class EventStreamITCase {
    private static final Schema ORDER_PLACED =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"OrderPlaced\",\"namespace\":\"checkout\","
                                    + "\"fields\":[{\"name\":\"order_id\",\"type\":\"long\"},"
                                    + "{\"name\":\"total\",\"type\":\"double\"}]}");

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

    @Test
    void eventsAreStampedListedInTheCatalogAndReadableByPipelines() throws Exception {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        List<String> ids = new ArrayList<>();
        try (EventProducer events =
                EventProducer.builder()
                        .bootstrapServers(platform.bootstrapServers())
                        .registryUrl(platform.platform().registryUrl())
                        .topic("checkout.orders.v1")
                        .schema(ORDER_PLACED)
                        .owner("checkout")
                        .keyFields("order_id")
                        .clock(Clock.fixed(now, ZoneOffset.UTC))
                        .build()) {
            for (long i = 1; i <= 3; i++) {
                GenericRecord e = new GenericData.Record(ORDER_PLACED);
                e.put("order_id", i);
                e.put("total", i * 10.0);
                ids.add(events.send(e));
            }
            events.flush();
        }

        List<ConsumerRecord<byte[], byte[]>> written =
                platform.consume("checkout.orders.v1", 3, Duration.ofSeconds(30));
        assertThat(written).hasSize(3);
        HttpSchemaRegistryClient registry = platform.registry();
        for (int i = 0; i < 3; i++) {
            ConsumerRecord<byte[], byte[]> r = written.get(i);
            GenericRecord value = platform.decode(List.of(r)).get(0);
            assertThat(value.get("order_id")).isEqualTo(i + 1L);
            assertThat(value.get("__event_id").toString()).isEqualTo(ids.get(i));
            assertThat(value.get("__ts_ms")).isEqualTo(now.toEpochMilli());
            assertThat(r.timestamp()).isEqualTo(now.toEpochMilli());
            Schema keySchema = registry.getById(ConfluentWireFormat.schemaIdOf(r.key()));
            GenericRecord key =
                    new ConfluentAvroDecoder(keySchema, registry::getById).decode(r.key());
            assertThat(key.get("order_id")).isEqualTo(i + 1L);
        }
        assertThat(ids).doesNotHaveDuplicates();

        // A pipeline reads the stream like any catalog source.
        String pipeline =
                "{\"name\": \"big-orders\", \"owner\": \"finance\", \"sources\": [{\"id\":"
                        + " \"orders\", \"type\": \"kafka\", \"config\": {\"topic\":"
                        + " \"checkout.orders.v1\"}}], \"processors\": [{\"id\": \"big\","
                        + " \"type\": \"filter\", \"inputs\": [\"orders\"], \"config\":"
                        + " {\"condition\": \"total >= 20\"}}], \"sinks\": [{\"id\": \"out\","
                        + " \"type\": \"kafka\", \"inputs\": [\"big\"], \"config\": {\"topic\":"
                        + " \"finance.big-orders.v1\"}}]}";
        PlatformHarness.Response applied =
                platform.call("PUT", "/api/v1/pipelines/big-orders", pipeline);
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        platform.awaitState("big-orders", "RUNNING", Duration.ofSeconds(90));
        List<GenericRecord> big =
                platform.decode(
                        platform.consume("finance.big-orders.v1", 2, Duration.ofSeconds(60)));
        assertThat(big)
                .extracting(r -> r.get("__event_id").toString())
                .containsExactly(ids.get(1), ids.get(2));

        JsonNode catalog = platform.call("GET", "/api/v1/catalog/sources", null).json();
        JsonNode stream = find(catalog, "checkout.orders.v1");
        assertThat(stream.path("kind").asText()).isEqualTo("events");
        assertThat(stream.path("owner").asText()).isEqualTo("checkout");
        assertThat(stream.path("subject").asText()).isEqualTo("checkout.orders.v1-value");
        assertThat(stream.path("version").asInt()).isEqualTo(1);
        assertThat(stream.path("pipeline").isNull()).isTrue();
        assertThat(stream.path("key").path("subject").asText()).isEqualTo("checkout.orders.v1-key");
        assertThat(stream.path("key").path("fields").toString()).isEqualTo("[\"order_id\"]");
        JsonNode derived = find(catalog, "finance.big-orders.v1");
        assertThat(derived.path("kind").asText()).isEqualTo("derived");
        assertThat(derived.path("pipeline").asText()).isEqualTo("big-orders");
        assertThat(derived.path("owner").asText()).isEqualTo("finance");
        assertThat(derived.path("key").path("format").asText()).isEqualTo("bytes as produced");
    }

    private static JsonNode find(JsonNode catalog, String topic) {
        for (JsonNode item : catalog) {
            if (item.path("topic").asText().equals(topic)) {
                return item;
            }
        }
        throw new AssertionError(topic + " is not in the catalog: " + catalog);
    }
}
