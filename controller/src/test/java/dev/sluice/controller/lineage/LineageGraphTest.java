package dev.sluice.controller.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.controller.definition.PipelineDefinition;
import dev.sluice.controller.definition.PipelineJson;
import dev.sluice.controller.planning.FactoryRegistry;
import dev.sluice.controller.planning.PipelinePlan;
import dev.sluice.controller.planning.PipelinePlanner;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryServer;
import dev.sluice.sdk.factory.PlatformContext;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.SinkFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lineage over three real plans, planned by the real planner and factories against a real schema
 * registry (no Kafka needed: planning only reads schemas):
 *
 * <ol>
 *   <li>{@code orders-clean}: topic {@code orders} → filter {@code open} (on {@code status}) →
 *       project {@code slim} (renames, {@code buyer = UPPER(customer)}) → topic {@code
 *       orders-clean};
 *   <li>{@code orders-enriched}: topic {@code orders-clean} left-joined with topic {@code
 *       customers} → topic {@code orders-enriched};
 *   <li>{@code orders-archive}: topic {@code orders-enriched} union topic {@code orders-legacy} →
 *       filter {@code big} (on {@code total}) → topic {@code orders-big}, and → a processor that
 *       declares no lineage → a sink that names no dataset.
 * </ol>
 */
class LineageGraphTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CLEAN =
            """
            {"name": "orders-clean", "owner": "sales",
             "sources": [{"id": "orders", "type": "kafka", "config": {"topic": "orders"}}],
             "processors": [
               {"id": "open", "type": "filter", "inputs": ["orders"],
                "config": {"condition": "status <> 'CANCELLED'"}},
               {"id": "slim", "type": "project", "inputs": ["open"],
                "config": {"fields": {"order_id": "id", "customer": "customer",
                                      "buyer": "UPPER(customer)", "total": "amount"}}}],
             "sinks": [{"id": "out", "type": "kafka", "inputs": ["slim"],
                        "config": {"topic": "orders-clean"}}]}
            """;

    private static final String ENRICHED =
            """
            {"name": "orders-enriched", "owner": "sales",
             "sources": [{"id": "clean", "type": "kafka", "config": {"topic": "orders-clean"}},
                         {"id": "customers", "type": "kafka", "config": {"topic": "customers"}}],
             "processors": [
               {"id": "enrich", "type": "join", "inputs": ["clean", "customers"],
                "config": {"kind": "left",
                           "on": {"clean": "customer", "customers": "customer_id"}}}],
             "sinks": [{"id": "out", "type": "kafka", "inputs": ["enrich"],
                        "config": {"topic": "orders-enriched"}}]}
            """;

    private static final String ARCHIVE =
            """
            {"name": "orders-archive", "owner": "finance",
             "sources": [{"id": "enriched", "type": "kafka", "config": {"topic": "orders-enriched"}},
                         {"id": "legacy", "type": "kafka", "config": {"topic": "orders-legacy"}}],
             "processors": [
               {"id": "merged", "type": "union", "inputs": ["enriched", "legacy"], "config": {}},
               {"id": "big", "type": "filter", "inputs": ["merged"],
                "config": {"condition": "total > 100"}},
               {"id": "mask", "type": "lineage-test-opaque", "inputs": ["big"]}],
             "sinks": [{"id": "published", "type": "kafka", "inputs": ["big"],
                        "config": {"topic": "orders-big"}},
                       {"id": "archive", "type": "lineage-test-sink", "inputs": ["mask"]}]}
            """;

    private static SchemaRegistryServer registry;
    private static PipelinePlan clean;
    private static PipelinePlan enriched;
    private static PipelinePlan archive;
    private static LineageGraph graph;

    @BeforeAll
    static void planThreePipelines(@TempDir Path plugins) throws Exception {
        registry = SchemaRegistryServer.builder().port(0).threads(1).build().start();
        SchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url());
        client.register(
                "orders-value",
                record(
                        "Order",
                        "{\"name\": \"id\", \"type\": \"long\"}",
                        "{\"name\": \"customer\", \"type\": \"string\"}",
                        "{\"name\": \"status\", \"type\": \"string\"}",
                        "{\"name\": \"amount\", \"type\": \"double\"}"));
        client.register(
                "customers-value",
                record(
                        "Customer",
                        "{\"name\": \"customer_id\", \"type\": \"string\"}",
                        "{\"name\": \"name\", \"type\": \"string\"}",
                        "{\"name\": \"tier\", \"type\": \"string\"}"));
        client.register(
                "orders-legacy-value",
                record(
                        "LegacyOrder",
                        "{\"name\": \"order_id\", \"type\": \"long\"}",
                        "{\"name\": \"buyer\", \"type\": \"string\"}",
                        "{\"name\": \"total\", \"type\": \"double\"}"));

        PipelinePlanner planner = new PipelinePlanner(factories(plugins), platform(client));
        clean = planner.plan(parse(CLEAN), name -> null);
        // What the kafka sink registers when the pipeline is deployed, and the next one reads.
        client.register("orders-clean-value", clean.node("slim").output().schema());
        enriched = planner.plan(parse(ENRICHED), name -> null);
        client.register("orders-enriched-value", enriched.node("enrich").output().schema());
        archive = planner.plan(parse(ARCHIVE), name -> null);
        graph = LineageGraph.of(List.of(clean, enriched, archive));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void testOnePipelineGraphIsExactJsonInStableOrder() throws Exception {
        JsonNode expected =
                JSON.readTree(
                        """
                        {"datasets": [
                          {"id": "topic:orders", "kind": "topic", "name": "orders",
                           "fields": ["id", "customer", "status", "amount"]},
                          {"id": "topic:orders-clean", "kind": "topic", "name": "orders-clean",
                           "fields": ["order_id", "customer", "buyer", "total"]}],
                         "nodes": [
                          {"id": "orders-clean/orders", "pipeline": "orders-clean",
                           "node": "orders", "kind": "source", "type": "kafka",
                           "fields": ["id", "customer", "status", "amount"]},
                          {"id": "orders-clean/open", "pipeline": "orders-clean", "node": "open",
                           "kind": "processor", "type": "filter",
                           "fields": ["id", "customer", "status", "amount"]},
                          {"id": "orders-clean/slim", "pipeline": "orders-clean", "node": "slim",
                           "kind": "processor", "type": "project",
                           "fields": ["order_id", "customer", "buyer", "total"]},
                          {"id": "orders-clean/out", "pipeline": "orders-clean", "node": "out",
                           "kind": "sink", "type": "kafka",
                           "fields": ["order_id", "customer", "buyer", "total"]}],
                         "edges": [
                          {"from": "topic:orders#id", "to": "orders-clean/orders#id"},
                          {"from": "topic:orders#customer", "to": "orders-clean/orders#customer"},
                          {"from": "topic:orders#status", "to": "orders-clean/orders#status"},
                          {"from": "topic:orders#amount", "to": "orders-clean/orders#amount"},
                          {"from": "orders-clean/orders#id", "to": "orders-clean/open#id"},
                          {"from": "orders-clean/orders#customer", "to": "orders-clean/open#customer"},
                          {"from": "orders-clean/orders#status", "to": "orders-clean/open#id"},
                          {"from": "orders-clean/orders#status", "to": "orders-clean/open#customer"},
                          {"from": "orders-clean/orders#status", "to": "orders-clean/open#status"},
                          {"from": "orders-clean/orders#status", "to": "orders-clean/open#amount"},
                          {"from": "orders-clean/orders#amount", "to": "orders-clean/open#amount"},
                          {"from": "orders-clean/open#id", "to": "orders-clean/slim#order_id"},
                          {"from": "orders-clean/open#customer", "to": "orders-clean/slim#customer"},
                          {"from": "orders-clean/open#customer", "to": "orders-clean/slim#buyer"},
                          {"from": "orders-clean/open#amount", "to": "orders-clean/slim#total"},
                          {"from": "orders-clean/slim#order_id", "to": "orders-clean/out#order_id"},
                          {"from": "orders-clean/slim#customer", "to": "orders-clean/out#customer"},
                          {"from": "orders-clean/slim#buyer", "to": "orders-clean/out#buyer"},
                          {"from": "orders-clean/slim#total", "to": "orders-clean/out#total"},
                          {"from": "orders-clean/out#order_id", "to": "topic:orders-clean#order_id"},
                          {"from": "orders-clean/out#customer", "to": "topic:orders-clean#customer"},
                          {"from": "orders-clean/out#buyer", "to": "topic:orders-clean#buyer"},
                          {"from": "orders-clean/out#total", "to": "topic:orders-clean#total"}]}
                        """);

        assertThat(LineageGraph.of(List.of(clean)).toJson()).isEqualTo(expected);
    }

    @Test
    void testPipelinesJoinThroughSharedTopicsWhateverOrderThePlansCome() {
        assertThat(edges(e -> e.from().vertex().equals("topic:orders-clean")))
                .containsExactly(
                        "topic:orders-clean#order_id -> orders-enriched/clean#order_id",
                        "topic:orders-clean#customer -> orders-enriched/clean#customer",
                        "topic:orders-clean#buyer -> orders-enriched/clean#buyer",
                        "topic:orders-clean#total -> orders-enriched/clean#total");
        assertThat(edges(e -> e.to().toString().equals("topic:orders-clean#buyer")))
                .containsExactly("orders-clean/out#buyer -> topic:orders-clean#buyer");
        assertThat(
                        LineageGraph.of(List.of(archive, clean, enriched))
                                .toJson()
                                .equals(graph.toJson()))
                .isTrue();

        assertThat(graph.datasets())
                .extracting(LineageDataset::id)
                .containsExactly(
                        "sink:orders-archive.archive",
                        "topic:customers",
                        "topic:orders",
                        "topic:orders-big",
                        "topic:orders-clean",
                        "topic:orders-enriched",
                        "topic:orders-legacy");
        assertThat(graph.nodes())
                .extracting(LineageNode::id)
                .containsExactly(
                        "orders-archive/enriched",
                        "orders-archive/legacy",
                        "orders-archive/merged",
                        "orders-archive/big",
                        "orders-archive/mask",
                        "orders-archive/published",
                        "orders-archive/archive",
                        "orders-clean/orders",
                        "orders-clean/open",
                        "orders-clean/slim",
                        "orders-clean/out",
                        "orders-enriched/clean",
                        "orders-enriched/customers",
                        "orders-enriched/enrich",
                        "orders-enriched/out");
        assertThat(graph.topics())
                .containsExactly(
                        "customers",
                        "orders",
                        "orders-big",
                        "orders-clean",
                        "orders-enriched",
                        "orders-legacy");
    }

    @Test
    void testJoinUnionAndFilterEdgesFollowTheirDeclaredLineage() {
        // Each joined field derives from its own input field and from both join keys
        // (clean.customer, customers.customer_id): the keys decide which rows meet.
        assertThat(edges(e -> e.to().vertex().equals("orders-enriched/enrich")))
                .containsExactly(
                        "orders-enriched/clean#order_id -> orders-enriched/enrich#order_id",
                        "orders-enriched/clean#customer -> orders-enriched/enrich#order_id",
                        "orders-enriched/clean#customer -> orders-enriched/enrich#customer",
                        "orders-enriched/clean#customer -> orders-enriched/enrich#buyer",
                        "orders-enriched/clean#customer -> orders-enriched/enrich#total",
                        "orders-enriched/clean#customer -> orders-enriched/enrich#customer_id",
                        "orders-enriched/clean#customer -> orders-enriched/enrich#name",
                        "orders-enriched/clean#customer -> orders-enriched/enrich#tier",
                        "orders-enriched/clean#buyer -> orders-enriched/enrich#buyer",
                        "orders-enriched/clean#total -> orders-enriched/enrich#total",
                        "orders-enriched/customers#customer_id"
                                + " -> orders-enriched/enrich#order_id",
                        "orders-enriched/customers#customer_id"
                                + " -> orders-enriched/enrich#customer",
                        "orders-enriched/customers#customer_id"
                                + " -> orders-enriched/enrich#buyer",
                        "orders-enriched/customers#customer_id"
                                + " -> orders-enriched/enrich#total",
                        "orders-enriched/customers#customer_id"
                                + " -> orders-enriched/enrich#customer_id",
                        "orders-enriched/customers#customer_id -> orders-enriched/enrich#name",
                        "orders-enriched/customers#customer_id -> orders-enriched/enrich#tier",
                        "orders-enriched/customers#name -> orders-enriched/enrich#name",
                        "orders-enriched/customers#tier -> orders-enriched/enrich#tier");
        assertThat(edges(e -> e.to().toString().equals("orders-archive/merged#buyer")))
                .containsExactly(
                        "orders-archive/enriched#buyer -> orders-archive/merged#buyer",
                        "orders-archive/legacy#buyer -> orders-archive/merged#buyer");
        assertThat(edges(e -> e.to().toString().equals("orders-archive/big#name")))
                .containsExactly(
                        "orders-archive/merged#total -> orders-archive/big#name",
                        "orders-archive/merged#name -> orders-archive/big#name");
    }

    @Test
    void testProcessorWithoutLineageGetsOpaqueEdgesFromEveryInputFieldToEveryOutputField() {
        List<LineageEdge> intoMask =
                graph.edges().stream()
                        .filter(e -> e.to().vertex().equals("orders-archive/mask"))
                        .toList();

        assertThat(intoMask).hasSize(7 * 7).allMatch(LineageEdge::opaque);
        assertThat(graph.edges().stream().filter(LineageEdge::opaque)).hasSize(49);
        assertThat(edges(e -> e.to().toString().equals("orders-archive/mask#tier")))
                .containsExactly(
                        "orders-archive/big#order_id -> orders-archive/mask#tier (opaque)",
                        "orders-archive/big#customer -> orders-archive/mask#tier (opaque)",
                        "orders-archive/big#buyer -> orders-archive/mask#tier (opaque)",
                        "orders-archive/big#total -> orders-archive/mask#tier (opaque)",
                        "orders-archive/big#customer_id -> orders-archive/mask#tier (opaque)",
                        "orders-archive/big#name -> orders-archive/mask#tier (opaque)",
                        "orders-archive/big#tier -> orders-archive/mask#tier (opaque)");
        JsonNode first = graph.toJson().get("edges").get(0);
        assertThat(first.has("opaque")).isFalse();
        assertThat(graph.toJson().get("edges").findValues("opaque")).hasSize(49);
    }

    @Test
    void testImpactOfStatusReachesEveryFieldBehindEitherFilterCondition() throws Exception {
        // status feeds the open filter, so every field of orders-clean (FOUR) depends on it,
        // including the join key customer; the key reaches every joined field, so from the
        // join on all SEVEN fields are impacted.
        String seven =
                "[\"order_id\", \"customer\", \"buyer\", \"total\", \"customer_id\", \"name\","
                        + " \"tier\"]";
        String four = "[\"order_id\", \"customer\", \"buyer\", \"total\"]";
        JsonNode expected =
                JSON.readTree(
                        """
                        {"source": {"dataset": "topic:orders", "topic": "orders", "field": "status"},
                         "pipelines": ["orders-archive", "orders-clean", "orders-enriched"],
                         "nodes": [
                          {"pipeline": "orders-archive", "node": "enriched", "kind": "source",
                           "type": "kafka", "fields": SEVEN},
                          {"pipeline": "orders-archive", "node": "merged", "kind": "processor",
                           "type": "union", "fields": SEVEN},
                          {"pipeline": "orders-archive", "node": "big", "kind": "processor",
                           "type": "filter", "fields": SEVEN},
                          {"pipeline": "orders-archive", "node": "mask", "kind": "processor",
                           "type": "lineage-test-opaque", "fields": SEVEN, "opaqueFields": SEVEN},
                          {"pipeline": "orders-clean", "node": "orders", "kind": "source",
                           "type": "kafka", "fields": ["status"]},
                          {"pipeline": "orders-clean", "node": "open", "kind": "processor",
                           "type": "filter", "fields": ["id", "customer", "status", "amount"]},
                          {"pipeline": "orders-clean", "node": "slim", "kind": "processor",
                           "type": "project", "fields": FOUR},
                          {"pipeline": "orders-enriched", "node": "clean", "kind": "source",
                           "type": "kafka", "fields": FOUR},
                          {"pipeline": "orders-enriched", "node": "enrich", "kind": "processor",
                           "type": "join", "fields": SEVEN}],
                         "sinks": [
                          {"pipeline": "orders-archive", "node": "published", "type": "kafka",
                           "dataset": "topic:orders-big", "fields": SEVEN},
                          {"pipeline": "orders-archive", "node": "archive",
                           "type": "lineage-test-sink", "dataset": "sink:orders-archive.archive",
                           "fields": SEVEN, "opaqueFields": SEVEN},
                          {"pipeline": "orders-clean", "node": "out", "type": "kafka",
                           "dataset": "topic:orders-clean", "fields": FOUR},
                          {"pipeline": "orders-enriched", "node": "out", "type": "kafka",
                           "dataset": "topic:orders-enriched", "fields": SEVEN}],
                         "datasets": [
                          {"id": "sink:orders-archive.archive", "kind": "sink",
                           "name": "orders-archive.archive", "fields": SEVEN, "opaqueFields": SEVEN},
                          {"id": "topic:orders-big", "kind": "topic", "name": "orders-big",
                           "fields": SEVEN},
                          {"id": "topic:orders-clean", "kind": "topic", "name": "orders-clean",
                           "fields": FOUR},
                          {"id": "topic:orders-enriched", "kind": "topic",
                           "name": "orders-enriched", "fields": SEVEN}]}
                        """
                                .replace("SEVEN", seven)
                                .replace("FOUR", four));

        assertThat(graph.impact("orders", "status").toJson()).isEqualTo(expected);
    }

    @Test
    void testImpactOfCustomerFollowsOnlyWhatIsDerivedFromIt() throws Exception {
        // Up to orders-clean only customer and buyer = UPPER(customer) derive from customer
        // (TWO). customer is the join key, so every joined field, and everything downstream of
        // the join, derives from it (SEVEN).
        String seven =
                "[\"order_id\", \"customer\", \"buyer\", \"total\", \"customer_id\", \"name\","
                        + " \"tier\"]";
        String two = "[\"customer\", \"buyer\"]";
        JsonNode expected =
                JSON.readTree(
                        """
                        {"source": {"dataset": "topic:orders", "topic": "orders",
                                    "field": "customer"},
                         "pipelines": ["orders-archive", "orders-clean", "orders-enriched"],
                         "nodes": [
                          {"pipeline": "orders-archive", "node": "enriched", "kind": "source",
                           "type": "kafka", "fields": SEVEN},
                          {"pipeline": "orders-archive", "node": "merged", "kind": "processor",
                           "type": "union", "fields": SEVEN},
                          {"pipeline": "orders-archive", "node": "big", "kind": "processor",
                           "type": "filter", "fields": SEVEN},
                          {"pipeline": "orders-archive", "node": "mask", "kind": "processor",
                           "type": "lineage-test-opaque", "fields": SEVEN, "opaqueFields": SEVEN},
                          {"pipeline": "orders-clean", "node": "orders", "kind": "source",
                           "type": "kafka", "fields": ["customer"]},
                          {"pipeline": "orders-clean", "node": "open", "kind": "processor",
                           "type": "filter", "fields": ["customer"]},
                          {"pipeline": "orders-clean", "node": "slim", "kind": "processor",
                           "type": "project", "fields": TWO},
                          {"pipeline": "orders-enriched", "node": "clean", "kind": "source",
                           "type": "kafka", "fields": TWO},
                          {"pipeline": "orders-enriched", "node": "enrich", "kind": "processor",
                           "type": "join", "fields": SEVEN}],
                         "sinks": [
                          {"pipeline": "orders-archive", "node": "published", "type": "kafka",
                           "dataset": "topic:orders-big", "fields": SEVEN},
                          {"pipeline": "orders-archive", "node": "archive",
                           "type": "lineage-test-sink", "dataset": "sink:orders-archive.archive",
                           "fields": SEVEN, "opaqueFields": SEVEN},
                          {"pipeline": "orders-clean", "node": "out", "type": "kafka",
                           "dataset": "topic:orders-clean", "fields": TWO},
                          {"pipeline": "orders-enriched", "node": "out", "type": "kafka",
                           "dataset": "topic:orders-enriched", "fields": SEVEN}],
                         "datasets": [
                          {"id": "sink:orders-archive.archive", "kind": "sink",
                           "name": "orders-archive.archive", "fields": SEVEN, "opaqueFields": SEVEN},
                          {"id": "topic:orders-big", "kind": "topic", "name": "orders-big",
                           "fields": SEVEN},
                          {"id": "topic:orders-clean", "kind": "topic", "name": "orders-clean",
                           "fields": TWO},
                          {"id": "topic:orders-enriched", "kind": "topic",
                           "name": "orders-enriched", "fields": SEVEN}]}
                        """
                                .replace("SEVEN", seven)
                                .replace("TWO", two));

        assertThat(graph.impact("orders", "customer").toJson()).isEqualTo(expected);
    }

    @Test
    void testImpactOfAFieldNothingReadsFurtherIsEmptyButKnown() {
        LineageImpact impact = graph.impact("topic:customers", "tier");

        assertThat(impact.pipelines()).containsExactly("orders-archive", "orders-enriched");
        assertThat(impact.sinks())
                .extracting(s -> s.node().id() + " " + s.fields())
                .containsExactly(
                        "orders-archive/published [tier]",
                        "orders-archive/archive [order_id, customer, buyer, total, customer_id,"
                                + " name, tier]",
                        "orders-enriched/out [tier]");
        assertThat(graph.impact("orders-big", "tier").isEmpty()).isTrue();
        assertThat(graph.impact("orders-big", "tier").toJson().get("source").toString())
                .isEqualTo(
                        "{\"dataset\":\"topic:orders-big\",\"topic\":\"orders-big\","
                                + "\"field\":\"tier\"}");
    }

    @Test
    void testImpactOfUnknownTopicOrFieldNamesItAndListsWhatIsKnown() {
        assertThatThrownBy(() -> graph.impact("payments", "id"))
                .isInstanceOf(UnknownLineageSourceException.class)
                .hasMessage(
                        "unknown topic 'payments': no pipeline reads or writes it; known topics:"
                                + " [customers, orders, orders-big, orders-clean,"
                                + " orders-enriched, orders-legacy]");
        assertThatThrownBy(() -> graph.impact("orders", "state"))
                .isInstanceOf(UnknownLineageSourceException.class)
                .hasMessage(
                        "topic 'orders' has no field 'state'; its fields: [id, customer, status,"
                                + " amount]")
                .satisfies(
                        e -> {
                            UnknownLineageSourceException u = (UnknownLineageSourceException) e;
                            assertThat(u.source()).isEqualTo("orders");
                            assertThat(u.field()).contains("state");
                        });
        assertThatThrownBy(() -> graph.impact("iceberg:db.orders", "id"))
                .isInstanceOf(UnknownLineageSourceException.class)
                .hasMessage(
                        "unknown dataset 'iceberg:db.orders': no pipeline reads or writes it;"
                                + " known datasets: [sink:orders-archive.archive,"
                                + " topic:customers, topic:orders, topic:orders-big,"
                                + " topic:orders-clean, topic:orders-enriched,"
                                + " topic:orders-legacy]");
        assertThatThrownBy(() -> graph.impact("orders", " "))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("field must be given: a field of topic orders");
    }

    @Test
    void testDotIsADigraphWithAClusterPerPipelineAndFieldPorts() {
        String dot = graph.toDot();

        assertThat(dot).startsWith("digraph \"sluice-lineage\" {\n").endsWith("}\n");
        assertThat(dot)
                .contains(
                        "  \"topic:orders\" [label=\"topic:orders|<f_id> id|<f_customer>"
                                + " customer|<f_status> status|<f_amount> amount\"];\n")
                .contains("  subgraph \"cluster_orders-clean\" {\n    label=\"orders-clean\";\n")
                .contains(
                        "    \"orders-clean/open\" [label=\"open\\ (filter\\ processor)"
                                + "|<f_id> id|<f_customer> customer|<f_status> status"
                                + "|<f_amount> amount\"];\n")
                .contains(
                        "  \"topic:orders\":\"f_status\" -> \"orders-clean/orders\":\"f_status\";\n")
                .contains(
                        "  \"orders-clean/orders\":\"f_status\" -> \"orders-clean/open\":\"f_id\";\n")
                .contains(
                        "  \"orders-clean/out\":\"f_buyer\""
                                + " -> \"topic:orders-clean\":\"f_buyer\";\n")
                .contains(
                        "  \"orders-archive/big\":\"f_total\""
                                + " -> \"orders-archive/mask\":\"f_name\" [style=dashed];\n");
        assertThat(dot.lines().filter(l -> l.contains(" -> "))).hasSize(graph.edges().size());
        assertThat(dot.lines().filter(l -> l.startsWith("  subgraph \"cluster_"))).hasSize(3);
        assertThat(dot.chars().filter(c -> c == '{').count())
                .isEqualTo(dot.chars().filter(c -> c == '}').count());
    }

    @Test
    void testSinksAndSourcesNameTheirDatasetsByType() {
        PipelineDefinition lake =
                parse(
                        """
                        {"name": "lake", "mode": "batch",
                         "sources": [{"id": "snap", "type": "iceberg",
                                      "config": {"table": "db.orders"}},
                                     {"id": "legacy", "type": "jdbc",
                                      "config": {"url": "jdbc:postgresql://db/x",
                                                 "table": "public.orders"}},
                                     {"id": "adhoc", "type": "jdbc",
                                      "config": {"url": "jdbc:postgresql://db/x",
                                                 "query": "SELECT 1"}}],
                         "processors": [{"id": "all", "type": "union",
                                         "inputs": ["snap", "legacy", "adhoc"]}],
                         "sinks": [{"id": "t", "type": "iceberg", "inputs": ["all"],
                                    "config": {"table": "db.copy"}},
                                   {"id": "j", "type": "jdbc", "inputs": ["all"],
                                    "config": {"url": "jdbc:mariadb://db/y",
                                               "table": "orders_copy"}},
                                   {"id": "k", "type": "kafka", "inputs": ["all"],
                                    "config": {"topic": "copy"}},
                                   {"id": "p", "type": "plugin-sink", "inputs": ["all"]}]}
                        """);

        assertThat(Datasets.ofSource("lake", lake.node("snap").orElseThrow(), List.of()))
                .containsExactly("iceberg:db.orders");
        assertThat(Datasets.ofSource("lake", lake.node("legacy").orElseThrow(), List.of()))
                .containsExactly("jdbc:public.orders");
        assertThat(Datasets.ofSource("lake", lake.node("adhoc").orElseThrow(), List.of()))
                .containsExactly("source:lake.adhoc");
        assertThat(Datasets.ofSource("lake", lake.node("adhoc").orElseThrow(), List.of("a", "b")))
                .containsExactly("topic:a", "topic:b");
        assertThat(Datasets.ofSink("lake", lake.node("t").orElseThrow(), List.of()))
                .isEqualTo("iceberg:db.copy");
        assertThat(Datasets.ofSink("lake", lake.node("j").orElseThrow(), List.of()))
                .isEqualTo("jdbc:orders_copy");
        assertThat(Datasets.ofSink("lake", lake.node("k").orElseThrow(), List.of("copy")))
                .isEqualTo("topic:copy");
        assertThat(Datasets.ofSink("lake", lake.node("p").orElseThrow(), List.of()))
                .isEqualTo("sink:lake.p");
        assertThat(Datasets.ofSink("lake", lake.node("p").orElseThrow(), List.of("x")))
                .isEqualTo("topic:x");
    }

    @Test
    void testTwoPlansOfOnePipelineAreRefused() {
        assertThatThrownBy(() -> LineageGraph.of(List.of(clean, clean)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "two plans for pipeline 'orders-clean'; a lineage graph takes one each");
    }

    @Test
    void testNoPlansMakeAnEmptyGraph() {
        LineageGraph empty = LineageGraph.of(List.of());

        assertThat(empty.toJson().toString())
                .isEqualTo("{\"datasets\":[],\"nodes\":[],\"edges\":[]}");
        assertThat(empty.toDot())
                .isEqualTo(
                        "digraph \"sluice-lineage\" {\n"
                                + "  graph [rankdir=LR];\n"
                                + "  node [shape=record, fontname=\"Helvetica\", fontsize=10];\n"
                                + "  edge [arrowsize=0.6];\n"
                                + "}\n");
        assertThatThrownBy(() -> empty.impact("orders", "id"))
                .hasMessage(
                        "unknown topic 'orders': no pipeline reads or writes it; known topics:"
                                + " []");
    }

    private static List<String> edges(Predicate<LineageEdge> which) {
        List<String> out = new ArrayList<>();
        graph.edges().stream().filter(which).forEach(e -> out.add(e.toString()));
        return out;
    }

    private static PipelineDefinition parse(String json) {
        return PipelineJson.parse(json);
    }

    private static Schema record(String name, String... fields) {
        return new Schema.Parser()
                .parse(
                        "{\"type\": \"record\", \"name\": \""
                                + name
                                + "\", \"namespace\": \"test\", \"fields\": ["
                                + String.join(", ", fields)
                                + "]}");
    }

    /**
     * The platform's node types plus the two test plugins, found the way plugins are: through
     * {@code META-INF/services} entries on a class loader over the plugins directory.
     */
    private static FactoryRegistry factories(Path plugins) throws Exception {
        Path services = Files.createDirectories(plugins.resolve("META-INF/services"));
        Files.writeString(
                services.resolve(ProcessorFactory.class.getName()),
                LineageTestFactories.OpaqueProcessorFactory.class.getName() + "\n");
        Files.writeString(
                services.resolve(SinkFactory.class.getName()),
                LineageTestFactories.NamelessSinkFactory.class.getName() + "\n");
        ClassLoader loader =
                new URLClassLoader(
                        new URL[] {plugins.toUri().toURL()},
                        LineageGraphTest.class.getClassLoader());
        return new FactoryRegistry(loader);
    }

    private static PlatformContext platform(SchemaRegistryClient client) {
        String url = registry.url();
        return new PlatformContext() {
            @Override
            public String kafkaBootstrapServers() {
                return "127.0.0.1:9";
            }

            @Override
            public Map<String, String> kafkaClientProperties() {
                return Map.of();
            }

            @Override
            public String schemaRegistryUrl() {
                return url;
            }

            @Override
            public SchemaRegistryClient schemaRegistry() {
                return client;
            }
        };
    }
}
