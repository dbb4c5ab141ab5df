package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A processor packaged as its own jar and dropped into the plugins directory is found at start, is
 * usable by its {@code type}, and runs: its classes exist only in the jar (compiled by the test,
 * never on the class path), so the Flink job must ship the jar for its operator to load.
 */
class PluginITCase {
    private static final Duration DEPLOY = Duration.ofSeconds(90);
    private static final String FACTORY = "dev.sluice.it.plugin.UpperPluginFactory";
    private static final Path SOURCE =
            Path.of("src/test/plugin/dev/sluice/it/plugin/UpperPluginFactory.java");

    @TempDir static Path dataDir;
    private static KafkaEnvironment kafka;

    @BeforeAll
    static void chooseKafka() {
        kafka = KafkaEnvironment.choose();
    }

    @AfterAll
    static void closeKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String pipeline() {
        return "{\"name\": \"shout\", \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\","
                + " \"config\": {\"topic\": \"it.plugin.orders\"}}],"
                + " \"processors\": [{\"id\": \"upper\", \"type\": \"it-upper\", \"inputs\":"
                + " [\"orders\"], \"config\": {\"field\": \"customer\"}}],"
                + " \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\": [\"upper\"],"
                + " \"config\": {\"topic\": \"it.plugin.upper\"}}]}";
    }

    @Test
    void aPluginJarAddsAProcessorTypeWhoseOperatorsRunOnTheCluster() throws Exception {
        assertThatThrownBy(() -> Class.forName(FACTORY))
                .as("the plugin must not be on the class path")
                .isInstanceOf(ClassNotFoundException.class);

        // Without the jar, the type does not exist.
        try (PlatformHarness platform = new PlatformHarness(dataDir, kafka).start()) {
            platform.produce(
                    "it.plugin.orders", Orders.SCHEMA, Orders.keys(0, 50), Orders.orders(0, 50));
            PlatformHarness.Response refused =
                    platform.call("PUT", "/api/v1/pipelines/shout", pipeline());
            assertThat(refused.status).as(refused.body).isEqualTo(400);
            assertThat(refused.json().path("pointer").asText()).isEqualTo("/processors/0/type");
            String error = refused.json().path("error").asText();
            assertThat(error)
                    .startsWith("unknown processor type 'it-upper'; known processor types: ");
            assertThat(error.substring(error.indexOf("types: ") + 7).split(", "))
                    .contains("filter", "project")
                    .doesNotContain("it-upper");
        }

        // With the jar in <data-dir>/plugins, the same platform knows it after a restart.
        PluginJar.build(SOURCE, FACTORY, dataDir.resolve("plugins").resolve("it-upper.jar"));
        try (PlatformHarness platform = new PlatformHarness(dataDir, kafka).start()) {
            PlatformHarness.Response applied =
                    platform.call("PUT", "/api/v1/pipelines/shout", pipeline());
            assertThat(applied.status).as(applied.body).isEqualTo(201);
            platform.awaitState("shout", "RUNNING", DEPLOY);
            platform.produce(
                    "it.plugin.orders", Orders.SCHEMA, Orders.keys(50, 60), Orders.orders(50, 60));

            List<ConsumerRecord<byte[], byte[]>> out =
                    platform.consume("it.plugin.upper", 60, Duration.ofSeconds(60));
            List<String> expected = new ArrayList<>();
            for (GenericRecord order : Orders.orders(0, 60)) {
                order.put("customer", order.get("customer").toString().toUpperCase());
                expected.add(order.toString());
            }
            List<String> actual = new ArrayList<>();
            platform.decode(out).forEach(r -> actual.add(r.toString()));
            assertThat(actual).containsExactlyElementsOf(expected);
            assertThat(new String(out.get(59).key(), StandardCharsets.UTF_8)).isEqualTo("order-59");
            assertThat(
                            platform.decode(
                                    platform.consume(
                                            "sluice.dlq.shout", 0, Duration.ofSeconds(10))))
                    .isEmpty();
        }
    }
}
