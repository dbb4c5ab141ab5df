package dev.sluice.controller.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.controller.definition.PipelineDefinition.Mode;
import dev.sluice.controller.definition.PipelineOptions.Delivery;
import dev.sluice.controller.definition.PipelineOptions.Isolation;
import dev.sluice.controller.definition.PipelineOptions.SchemaEvolution;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PipelineJsonTest {

    static List<String> goodFixtures() {
        return Fixtures.names("good");
    }

    @Test
    void testGoodFixturesCoverTheRequiredShapes() {
        assertThat(goodFixtures())
                .contains(
                        "contract-example.json",
                        "kafka-filter-project-kafka.json",
                        "source-to-sink.json",
                        "batch-scheduled.json",
                        "all-options.json");
    }

    @ParameterizedTest
    @MethodSource("goodFixtures")
    void testGoodFixtureParsesAndRoundTrips(String file) {
        PipelineDefinition parsed = Fixtures.good(file);

        String canonical = PipelineJson.toJson(parsed);
        PipelineDefinition reparsed = PipelineJson.parse(canonical);

        assertThat(reparsed).isEqualTo(parsed);
        assertThat(reparsed.hashCode()).isEqualTo(parsed.hashCode());
        assertThat(PipelineJson.toJson(reparsed)).isEqualTo(canonical);
        assertThat(PipelineJson.parse(PipelineJson.toPrettyJson(parsed))).isEqualTo(parsed);
    }

    @ParameterizedTest
    @MethodSource("goodFixtures")
    void testToJsonNodeIsTheTreeOfToJson(String file) throws Exception {
        PipelineDefinition parsed = Fixtures.good(file);

        assertThat(PipelineJson.toJsonNode(parsed))
                .isEqualTo(new ObjectMapper().readTree(PipelineJson.toJson(parsed)));
    }

    @Test
    void testContractExampleIsReadAsWritten() {
        PipelineDefinition d = Fixtures.good("contract-example.json");

        assertThat(d.name()).isEqualTo("released-movies");
        assertThat(d.owner()).contains("studio-data");
        assertThat(d.description())
                .contains("Released movies, slimmed, to the lake and a published topic");
        assertThat(d.mode()).isEqualTo(Mode.STREAMING);
        assertThat(d.nodeIds())
                .containsExactly("movies", "talent", "released", "slim", "gate", "lake", "topic");
        assertThat(d.sources())
                .extracting(NodeDefinition::type)
                .containsExactly("postgres-cdc", "kafka");
        assertThat(d.processors())
                .extracting(NodeDefinition::type)
                .containsExactly("filter", "project", "quality-gate");
        assertThat(d.sinks()).extracting(NodeDefinition::type).containsExactly("iceberg", "kafka");
        assertThat(d.options()).isEqualTo(PipelineOptions.defaults());
        assertThat(d.schedule()).isEmpty();
        assertThat(d.trigger()).isEmpty();
        assertThat(d.retry()).isEmpty();
    }

    @Test
    void testNodesKnowTheirKindInputsAndPointers() {
        PipelineDefinition d = Fixtures.good("contract-example.json");

        NodeDefinition slim = d.node("slim").orElseThrow();
        assertThat(slim.kind()).isEqualTo(NodeKind.PROCESSOR);
        assertThat(slim.index()).isEqualTo(1);
        assertThat(slim.inputs()).containsExactly("released");
        assertThat(slim.pointer()).isEqualTo("/processors/1");
        assertThat(d.pointerOf("slim")).isEqualTo("/processors/1");
        assertThat(d.pointerOf("movies")).isEqualTo("/sources/0");
        assertThat(d.pointerOf("topic")).isEqualTo("/sinks/1");
        assertThat(d.node("movies").orElseThrow().inputs()).isEmpty();
        assertThat(d.node("nope")).isEmpty();
        assertThatThrownBy(() -> d.pointerOf("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "no node 'nope' in pipeline 'released-movies'; known: [movies, talent,"
                                + " released, slim, gate, lake, topic]");
    }

    @Test
    void testConfigKeepsPlainValuesInOrderWithPointers() {
        PipelineDefinition d = Fixtures.good("contract-example.json");

        NodeConfig movies = d.node("movies").orElseThrow().config();
        assertThat(movies.pointer()).isEqualTo("/sources/0/config");
        assertThat(movies.keys())
                .containsExactly("hostname", "port", "database", "username", "password", "tables");
        assertThat(movies.get("port")).contains(5432);
        assertThat(movies.get("tables")).contains(List.of("public.movies"));
        assertThat(movies.get("password")).contains("${env:STUDIO_DB_PASSWORD}");
        assertThat(movies.get("missing")).isEmpty();
        assertThat(movies.pointer("password")).isEqualTo("/sources/0/config/password");

        NodeConfig released = d.node("released").orElseThrow().config();
        assertThat(released.pointer("condition")).isEqualTo("/processors/0/config/condition");

        @SuppressWarnings("unchecked")
        Map<String, Object> fields =
                (Map<String, Object>) d.node("slim").orElseThrow().config().get("fields").get();
        assertThat(fields.keySet()).containsExactly("movie_id", "title", "year");

        Object rules = d.node("gate").orElseThrow().config().get("rules").get();
        assertThat(rules)
                .isEqualTo(
                        List.of(
                                Map.of("rule", "not-null", "field", "title"),
                                Map.of("rule", "max-bytes", "value", 1048576)));
    }

    @Test
    void testConfigIsImmutable() {
        NodeConfig config = Fixtures.good("contract-example.json").sources().get(0).config();

        assertThatThrownBy(() -> config.asMap().put("port", 1))
                .isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> tables = (List<Object>) config.get("tables").get();
        assertThatThrownBy(() -> tables.add("public.other"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void testNumbersAreNormalizedByMagnitude() {
        PipelineDefinition d = Fixtures.good("join-union-gate.json");

        List<?> rules = (List<?>) d.node("checked").orElseThrow().config().get("rules").get();
        Map<?, ?> range = (Map<?, ?>) rules.get(0);
        assertThat(range.get("min")).isEqualTo(0);
        assertThat(range.get("max")).isEqualTo(1.5e6);
        assertThat(((Map<?, ?>) rules.get(2)).get("values")).isEqualTo(list("NEW", "PAID", null));
        assertThat(((Map<?, ?>) rules.get(3)).get("maxLagMs")).isEqualTo(9007199254740993L);
        assertThat(((Map<?, ?>) rules.get(4)).get("value"))
                .isEqualTo(new BigInteger("12345678901234567890123"));
        assertThat(d.node("legacy_orders").orElseThrow().config().get("upsert")).contains(true);
    }

    @Test
    void testMissingConfigIsEmptyAndNullOptionalsAreAbsent() {
        PipelineDefinition d = Fixtures.good("join-union-gate.json");

        NodeConfig union = d.node("all_orders").orElseThrow().config();
        assertThat(union.isEmpty()).isTrue();
        assertThat(union.pointer()).isEqualTo("/processors/0/config");
        assertThat(d.owner()).isEmpty();
        assertThat(PipelineJson.toJsonNode(d).has("owner")).isFalse();
    }

    @Test
    void testTopologicalOrderPutsSourcesFirstAndKeepsDeclarationOrder() {
        assertThat(ids(Fixtures.good("contract-example.json").topologicalOrder()))
                .containsExactly("movies", "talent", "released", "slim", "gate", "lake", "topic");
        assertThat(ids(Fixtures.good("join-union-gate.json").topologicalOrder()))
                .containsExactly(
                        "orders",
                        "legacy_orders",
                        "customers",
                        "Audit_Log",
                        "all_orders",
                        "enriched",
                        "checked",
                        "per_customer",
                        "totals",
                        "raw");
    }

    @Test
    void testReadersAndUnreadSources() {
        PipelineDefinition d = Fixtures.good("contract-example.json");

        assertThat(ids(d.readersOf("gate"))).containsExactly("lake", "topic");
        assertThat(ids(d.readersOf("topic"))).isEmpty();
        assertThat(ids(d.unreadSources())).containsExactly("talent");
    }

    @Test
    void testSourceReadDirectlyBySink() {
        PipelineDefinition d = Fixtures.good("source-to-sink.json");

        assertThat(d.processors()).isEmpty();
        assertThat(d.sinks().get(0).inputs()).containsExactly("movies");
        assertThat(ids(d.topologicalOrder())).containsExactly("movies", "lake");
        assertThat(PipelineJson.toJsonNode(d).get("processors").isEmpty()).isTrue();
    }

    @Test
    void testBatchPipelineWithScheduleAndRetry() {
        PipelineDefinition d = Fixtures.good("batch-scheduled.json");

        assertThat(d.mode()).isEqualTo(Mode.BATCH);
        Schedule schedule = d.schedule().orElseThrow();
        assertThat(schedule.cron()).isEqualTo("30 2 * * MON-FRI");
        assertThat(schedule.timezone()).isEqualTo("Europe/Berlin");
        assertThat(schedule.zoneId().getId()).isEqualTo("Europe/Berlin");
        assertThat(d.retry()).contains(RetryPolicy.of(3, Duration.ofSeconds(30)));
        assertThat(d.trigger()).isEmpty();
    }

    @Test
    void testBatchPipelineWithTriggerAndDefaults() {
        PipelineDefinition d = Fixtures.good("batch-triggered.json");

        assertThat(d.trigger())
                .contains(Trigger.of(Trigger.Event.ICEBERG_SNAPSHOT, "studio.released_movies"));
        assertThat(d.schedule()).contains(Schedule.of("*/15 * * * *", "UTC"));
        assertThat(d.retry().orElseThrow().attempts()).isEqualTo(1);
        assertThat(d.retry().orElseThrow().backoff()).isEqualTo(RetryPolicy.DEFAULT_BACKOFF);
    }

    @Test
    void testAllOptionsAreRead() {
        PipelineOptions options = Fixtures.good("all-options.json").options();

        assertThat(options.delivery()).isEqualTo(Delivery.AT_LEAST_ONCE);
        assertThat(options.parallelism()).isEqualTo(4);
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.isolation()).isEqualTo(Isolation.PER_PROCESSOR);
        assertThat(options.schemaEvolution()).isEqualTo(SchemaEvolution.FREEZE);
    }

    @Test
    void testDefaultOptions() {
        PipelineOptions options = Fixtures.good("kafka-filter-project-kafka.json").options();

        assertThat(options.delivery()).isEqualTo(Delivery.EXACTLY_ONCE);
        assertThat(options.parallelism()).isEqualTo(1);
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.isolation()).isEqualTo(Isolation.FUSED);
        assertThat(options.schemaEvolution()).isEqualTo(SchemaEvolution.EVOLVE);
    }

    @Test
    void testCanonicalJsonSpellsOutEveryOption() {
        String json = PipelineJson.toJson(Fixtures.good("kafka-filter-project-kafka.json"));

        assertThat(json)
                .isEqualTo(
                        "{\"name\":\"big-orders\",\"mode\":\"streaming\","
                                + "\"sources\":[{\"id\":\"orders\",\"type\":\"kafka\","
                                + "\"config\":{\"topic\":\"orders.v1\"}}],"
                                + "\"processors\":[{\"id\":\"big\",\"type\":\"filter\","
                                + "\"inputs\":[\"orders\"],"
                                + "\"config\":{\"condition\":\"amount > 1000\"}},"
                                + "{\"id\":\"slim\",\"type\":\"project\",\"inputs\":[\"big\"],"
                                + "\"config\":{\"fields\":{\"order_id\":\"id\","
                                + "\"amount\":\"amount\"}}}],"
                                + "\"sinks\":[{\"id\":\"out\",\"type\":\"kafka\","
                                + "\"inputs\":[\"slim\"],"
                                + "\"config\":{\"topic\":\"orders.big.v1\"}}],"
                                + "\"options\":{\"delivery\":\"exactly-once\",\"parallelism\":1,"
                                + "\"checkpointInterval\":\"PT2S\",\"isolation\":\"fused\","
                                + "\"schemaEvolution\":\"evolve\"}}");
    }

    @Test
    void testCanonicalJsonOfBatchSettings() {
        String json = PipelineJson.toJson(Fixtures.good("batch-scheduled.json"));

        assertThat(json)
                .endsWith(
                        "\"schedule\":{\"cron\":\"30 2 * * MON-FRI\","
                                + "\"timezone\":\"Europe/Berlin\"},"
                                + "\"retry\":{\"attempts\":3,\"backoff\":\"PT30S\"}}");
    }

    @Test
    void testBuilderMakesTheSameDefinitionAsTheParser() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("order_id", "id");
        fields.put("amount", "amount");
        PipelineDefinition built =
                PipelineDefinition.builder()
                        .name("big-orders")
                        .addSource("orders", "kafka", Map.of("topic", "orders.v1"))
                        .addProcessor(
                                "big",
                                "filter",
                                List.of("orders"),
                                Map.of("condition", "amount > 1000"))
                        .addProcessor("slim", "project", List.of("big"), Map.of("fields", fields))
                        .addSink("out", "kafka", List.of("slim"), Map.of("topic", "orders.big.v1"))
                        .build();

        assertThat(built).isEqualTo(Fixtures.good("kafka-filter-project-kafka.json"));
        assertThat(built.node("slim").orElseThrow().config().pointer())
                .isEqualTo("/processors/1/config");
    }

    @Test
    void testBuilderNormalizesLongsLikeTheParser() {
        PipelineDefinition built =
                PipelineDefinition.builder()
                        .name("p")
                        .addSource("s", "kafka", Map.of("partitions", 3L))
                        .addSink("k", "kafka", List.of("s"), null)
                        .build();

        assertThat(built.sources().get(0).config().get("partitions")).contains(3);
        assertThat(PipelineJson.parse(PipelineJson.toJson(built))).isEqualTo(built);
    }

    @Test
    void testToBuilderCopiesEverything() {
        PipelineDefinition d = Fixtures.good("batch-triggered.json");

        assertThat(d.toBuilder().build()).isEqualTo(d);
        assertThat(d.toBuilder().name("other").build().name()).isEqualTo("other");
    }

    @Test
    void testDefinitionsDifferingInAnyPartAreNotEqual() {
        PipelineDefinition d = Fixtures.good("all-options.json");

        assertThat(d.toBuilder().owner(null).build()).isNotEqualTo(d);
        assertThat(d.toBuilder().options(PipelineOptions.defaults()).build()).isNotEqualTo(d);
        assertThat(d.toBuilder().mode(Mode.BATCH).build()).isNotEqualTo(d);
    }

    private static List<String> ids(List<NodeDefinition> nodes) {
        return nodes.stream().map(NodeDefinition::id).collect(Collectors.toList());
    }

    private static List<Object> list(Object... values) {
        return java.util.Arrays.asList(values);
    }
}
