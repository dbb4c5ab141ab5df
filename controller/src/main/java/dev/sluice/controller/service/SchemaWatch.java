package dev.sluice.controller.service;

import dev.sluice.controller.definition.NodeDefinition;
import dev.sluice.controller.planning.PipelinePlan;
import dev.sluice.controller.planning.PlannedNode;
import dev.sluice.schemas.registry.RegisteredSchema;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * What a running pipeline was planned against: the registered schema of each topic its {@code
 * kafka} sources read. When a topic's subject gets a new version (a CDC table gained a column, a
 * producer evolved its events), the controller re-plans the pipeline and decides, per {@code
 * options.schemaEvolution}, whether to upgrade, keep or stop it.
 */
final class SchemaWatch {

    /** A source topic whose registered schema moved on since the pipeline was planned. */
    static final class Change {
        final String topic;
        final int oldId;
        final RegisteredSchema latest;

        Change(String topic, int oldId, RegisteredSchema latest) {
            this.topic = topic;
            this.oldId = oldId;
            this.latest = latest;
        }

        @Override
        public String toString() {
            return "topic '"
                    + topic
                    + "' has schema version "
                    + latest.version()
                    + " (id "
                    + latest.id()
                    + ")";
        }
    }

    private SchemaWatch() {}

    /**
     * The schema id each source topic of {@code plan} has now: the topics its {@code kafka} sources
     * read, and the topics its capture sources write (a capture registers a new version when its
     * table's columns change).
     */
    static Map<String, Integer> sourceSchemaIds(PipelinePlan plan, SchemaRegistryClient registry) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        List<String> topics = new java.util.ArrayList<>(kafkaSourceTopics(plan));
        for (PlannedNode node : plan.nodes().values()) {
            if (node.isSource() && !"kafka".equals(node.definition().type())) {
                topics.addAll(node.asSource().topics());
            }
        }
        for (String topic : topics) {
            registry.getLatest(topic + "-value").ifPresent(r -> ids.put(topic, r.id()));
        }
        return ids;
    }

    /** The first topic whose latest schema differs from {@code seen}, if any. */
    static Optional<Change> changed(Map<String, Integer> seen, SchemaRegistryClient registry) {
        for (Map.Entry<String, Integer> e : seen.entrySet()) {
            Optional<RegisteredSchema> latest = registry.getLatest(e.getKey() + "-value");
            if (latest.isPresent() && latest.get().id() != e.getValue()) {
                return Optional.of(new Change(e.getKey(), e.getValue(), latest.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether two plans of one pipeline produce the same records: every node's output schema and
     * kind, every sink's input. When they do, a source change does not concern the pipeline's
     * outputs and the job keeps running.
     */
    static boolean sameOutputs(PipelinePlan a, PipelinePlan b) {
        if (!a.nodes().keySet().equals(b.nodes().keySet())) {
            return false;
        }
        for (Map.Entry<String, PlannedNode> e : a.nodes().entrySet()) {
            PlannedNode x = e.getValue();
            PlannedNode y = b.nodes().get(e.getKey());
            if (x.isSource()) {
                if (!"kafka".equals(x.definition().type())
                        && !x.output().schema().equals(y.output().schema())) {
                    return false; // a capture whose table changed writes its topic differently
                }
                continue; // a kafka source's topic changed by definition; what it feeds is compared
            }
            if (x.output() == null || y.output() == null) {
                if (x.output() != y.output()) {
                    return false;
                }
                continue;
            }
            if (!x.output().schema().equals(y.output().schema())
                    || x.output().kind() != y.output().kind()
                    || !Objects.equals(x.output().keySchema(), y.output().keySchema())) {
                return false;
            }
        }
        for (PlannedNode sink : a.nodes().values()) {
            if (!sink.isSink()) {
                continue;
            }
            for (String input : sink.definition().inputs()) {
                PlannedNode before = a.node(input);
                PlannedNode after = b.node(input);
                if (before.isSource() && !schemaOf(before).equals(schemaOf(after))) {
                    return false; // a sink reading a source directly passes the change through
                }
            }
        }
        return true;
    }

    /** Fields of {@code after} that {@code before} does not have (added columns), by name. */
    static List<String> addedFields(Schema before, Schema after) {
        return after.getFields().stream()
                .map(Schema.Field::name)
                .filter(n -> before.getField(n) == null)
                .toList();
    }

    private static Schema schemaOf(PlannedNode node) {
        return node.output().schema();
    }

    private static List<String> kafkaSourceTopics(PipelinePlan plan) {
        return plan.definition().sources().stream()
                .filter(s -> "kafka".equals(s.type()))
                .map(NodeDefinition::config)
                .map(c -> c.asMap().get("topic"))
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .distinct()
                .toList();
    }
}
