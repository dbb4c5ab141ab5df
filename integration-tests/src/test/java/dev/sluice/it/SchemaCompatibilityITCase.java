package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applying a pipeline whose published schema would break the topic's readers is refused with 409
 * before anything changes, naming the topic, the rule and field broken, and the pipelines that read
 * the topic.
 */
class SchemaCompatibilityITCase {
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

    private static String producer(String fields) {
        return "{\"name\": \"producer\", \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\","
                + " \"config\": {\"topic\": \"it.compat.orders\"}}], \"processors\": [{\"id\":"
                + " \"slim\", \"type\": \"project\", \"inputs\": [\"orders\"], \"config\":"
                + " {\"fields\": {"
                + fields
                + "}}}], \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\":"
                + " [\"slim\"], \"config\": {\"topic\": \"it.compat.slim\"}}]}";
    }

    @Test
    void anIncompatibleOutputSchemaIsRefusedNamingTheTopicFieldRuleAndReaders() throws Exception {
        platform.produce("it.compat.orders", Orders.SCHEMA, Orders.keys(0, 3), Orders.orders(0, 3));
        PlatformHarness.Response first =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/producer",
                        producer("\"order_id\": \"id\", \"customer\": \"customer\""));
        assertThat(first.status).as(first.body).isEqualTo(201);
        platform.awaitState("producer", "RUNNING", Duration.ofSeconds(90));
        PlatformHarness.Response reader =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/consumer",
                        "{\"name\": \"consumer\", \"sources\": [{\"id\": \"slim\", \"type\":"
                                + " \"kafka\", \"config\": {\"topic\": \"it.compat.slim\"}}],"
                                + " \"sinks\": [{\"id\": \"copy\", \"type\": \"kafka\", \"inputs\":"
                                + " [\"slim\"], \"config\": {\"topic\": \"it.compat.copy\"}}]}");
        assertThat(reader.status).as(reader.body).isEqualTo(201);

        // A new required field cannot be read from the old records: BACKWARD forbids it.
        PlatformHarness.Response refused =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/producer",
                        producer(
                                "\"order_id\": \"id\", \"customer\": \"customer\", \"region\":"
                                        + " \"UPPER(customer)\""));
        assertThat(refused.status).as(refused.body).isEqualTo(409);
        assertThat(refused.json().path("pointer").asText()).isEqualTo("/sinks/0/config/topic");
        assertThat(refused.json().path("error").asText())
                .startsWith(
                        "the output schema for topic 'it.compat.slim' is incompatible with the"
                                + " versions registered under 'it.compat.slim-value' (BACKWARD):")
                .contains("region")
                .endsWith("; pipelines reading it: consumer");
        // Nothing changed: the producer runs its first definition.
        assertThat(
                        platform.call("GET", "/api/v1/pipelines/producer", null)
                                .json()
                                .path("definition")
                                .path("processors")
                                .get(0)
                                .path("config")
                                .path("fields")
                                .has("region"))
                .isFalse();

        // Dropping a field is a BACKWARD-compatible change: accepted.
        PlatformHarness.Response compatible =
                platform.call(
                        "PUT", "/api/v1/pipelines/producer", producer("\"order_id\": \"id\""));
        assertThat(compatible.status).as(compatible.body).isEqualTo(200);

        // Field-level lineage across both pipelines, over the schemas as they are now.
        com.fasterxml.jackson.databind.JsonNode impact =
                platform.call(
                                "GET",
                                "/api/v1/lineage/impact?source=it.compat.orders&field=id",
                                null)
                        .json();
        assertThat(impact.path("pipelines").toString()).isEqualTo("[\"consumer\",\"producer\"]");
        java.util.List<String> sinks = new java.util.ArrayList<>();
        impact.path("sinks")
                .forEach(
                        sink ->
                                sinks.add(
                                        sink.path("pipeline").asText()
                                                + " "
                                                + sink.path("dataset").asText()
                                                + " "
                                                + sink.path("fields")));
        assertThat(sinks)
                .containsExactly(
                        "consumer topic:it.compat.copy [\"order_id\"]",
                        "producer topic:it.compat.slim [\"order_id\"]");
        PlatformHarness.Response unknown =
                platform.call(
                        "GET", "/api/v1/lineage/impact?source=it.compat.orders&field=nope", null);
        assertThat(unknown.status).isEqualTo(404);
        assertThat(unknown.json().path("error").asText())
                .startsWith("topic 'it.compat.orders' has no field 'nope'; its fields:");
        PlatformHarness.Response dot = platform.call("GET", "/api/v1/lineage?format=dot", null);
        assertThat(dot.status).isEqualTo(200);
        assertThat(dot.body).startsWith("digraph").contains("cluster_consumer", "cluster_producer");
    }
}
