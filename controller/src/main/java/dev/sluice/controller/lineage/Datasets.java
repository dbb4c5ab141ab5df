package dev.sluice.controller.lineage;

import dev.sluice.controller.definition.NodeDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which datasets a source reads and a sink writes, decided by node type: the planned objects only
 * say which topics they touch, while the tables of Iceberg and JDBC nodes are in their config.
 */
final class Datasets {
    static final String TOPIC = "topic";
    static final String ICEBERG = "iceberg";
    static final String JDBC = "jdbc";
    static final String SOURCE = "source";
    static final String SINK = "sink";

    private Datasets() {}

    /**
     * The datasets a source reads: {@code kafka} its {@code topic}; {@code iceberg} and {@code
     * jdbc} their {@code table}; any other type (CDC captures, plugins) the topics it declares, or,
     * when it declares none, {@code source:<pipeline>.<node>}.
     */
    static List<String> ofSource(String pipeline, NodeDefinition node, List<String> topics) {
        switch (node.type()) {
            case "kafka":
                {
                    Optional<String> topic = text(node, "topic");
                    if (topic.isPresent()) {
                        return List.of(LineageDataset.idOf(TOPIC, topic.get()));
                    }
                    break;
                }
            case "iceberg":
                {
                    Optional<String> table = text(node, "table");
                    if (table.isPresent()) {
                        return List.of(LineageDataset.idOf(ICEBERG, table.get()));
                    }
                    break;
                }
            case "jdbc":
                {
                    Optional<String> table = text(node, "table");
                    if (table.isPresent()) {
                        return List.of(LineageDataset.idOf(JDBC, table.get()));
                    }
                    break;
                }
            default:
                break;
        }
        if (!topics.isEmpty()) {
            List<String> ids = new ArrayList<>();
            topics.forEach(t -> ids.add(LineageDataset.idOf(TOPIC, t)));
            return ids;
        }
        return List.of(LineageDataset.idOf(SOURCE, pipeline + "." + node.id()));
    }

    /**
     * The one dataset a sink writes: {@code kafka} its {@code topic}; {@code iceberg} and {@code
     * jdbc} their {@code table}; any other type the topic it declares when it declares exactly one,
     * else {@code sink:<pipeline>.<node>}.
     */
    static String ofSink(String pipeline, NodeDefinition node, List<String> topics) {
        String key;
        String kind;
        switch (node.type()) {
            case "kafka":
                key = "topic";
                kind = TOPIC;
                break;
            case "iceberg":
                key = "table";
                kind = ICEBERG;
                break;
            case "jdbc":
                key = "table";
                kind = JDBC;
                break;
            default:
                key = null;
                kind = null;
                break;
        }
        if (key != null) {
            Optional<String> name = text(node, key);
            if (name.isPresent()) {
                return LineageDataset.idOf(kind, name.get());
            }
        }
        if (topics.size() == 1) {
            return LineageDataset.idOf(TOPIC, topics.get(0));
        }
        return LineageDataset.idOf(SINK, pipeline + "." + node.id());
    }

    private static Optional<String> text(NodeDefinition node, String key) {
        return node.config()
                .get(key)
                .filter(v -> v instanceof String && !((String) v).isBlank())
                .map(v -> (String) v);
    }
}
