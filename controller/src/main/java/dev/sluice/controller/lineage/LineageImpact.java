package dev.sluice.controller.lineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What depends on one field of one dataset, transitively across pipelines: the answer to "who is
 * affected if I drop or change this field", made by {@link LineageGraph#impact}.
 *
 * <p>Fields reached only through opaque edges (processors that do not declare lineage) are listed
 * in {@code fields} and again in {@code opaqueFields}: they may depend on the source field, or may
 * not.
 *
 * <p>JSON form ({@link #toJson()}):
 *
 * <pre>{@code
 * {
 *   "source":    {"dataset": "topic:orders", "topic": "orders", "field": "status"},
 *   "pipelines": ["enrich", "paid-orders"],                               // sorted
 *   "nodes":     [{"pipeline": "paid-orders", "node": "paid", "kind": "processor",
 *                  "type": "filter", "fields": ["id", "status"]}],
 *   "sinks":     [{"pipeline": "paid-orders", "node": "out", "type": "kafka",
 *                  "dataset": "topic:paid", "fields": ["id"]}],
 *   "datasets":  [{"id": "topic:paid", "kind": "topic", "name": "paid", "fields": ["id"]}]
 * }
 * }</pre>
 *
 * Nodes (sources and processors) and sinks come by pipeline name, then in the pipeline's
 * topological order; datasets by id; fields in schema order. An entry has {@code "opaqueFields"}
 * only when some of its fields were reached only through opaque edges. The {@code "topic"} key of
 * {@code source} is present only when the source is a topic.
 */
public final class LineageImpact {

    /**
     * A pipeline node (source, processor or sink) reached, with the fields of it that depend on the
     * source field.
     *
     * @param node the node
     * @param fields its affected fields, in schema order
     * @param opaqueFields those of {@code fields} reached only through opaque edges
     */
    public record ImpactedNode(LineageNode node, List<String> fields, List<String> opaqueFields) {
        public ImpactedNode {
            Objects.requireNonNull(node, "node");
            fields = List.copyOf(fields);
            opaqueFields = List.copyOf(opaqueFields);
        }
    }

    /**
     * A dataset reached, with the fields of it that depend on the source field.
     *
     * @param dataset the dataset
     * @param fields its affected fields, in order
     * @param opaqueFields those of {@code fields} reached only through opaque edges
     */
    public record ImpactedDataset(
            LineageDataset dataset, List<String> fields, List<String> opaqueFields) {
        public ImpactedDataset {
            Objects.requireNonNull(dataset, "dataset");
            fields = List.copyOf(fields);
            opaqueFields = List.copyOf(opaqueFields);
        }
    }

    private final LineageDataset source;
    private final String field;
    private final List<String> pipelines;
    private final List<ImpactedNode> nodes;
    private final List<ImpactedNode> sinks;
    private final List<ImpactedDataset> datasets;

    private LineageImpact(
            LineageDataset source,
            String field,
            List<String> pipelines,
            List<ImpactedNode> nodes,
            List<ImpactedNode> sinks,
            List<ImpactedDataset> datasets) {
        this.source = source;
        this.field = field;
        this.pipelines = List.copyOf(pipelines);
        this.nodes = List.copyOf(nodes);
        this.sinks = List.copyOf(sinks);
        this.datasets = List.copyOf(datasets);
    }

    /**
     * Groups {@code reached} (every field downstream of the source field) by vertex in graph order;
     * {@code exact} is the part reached through declared lineage alone.
     */
    static LineageImpact of(
            LineageGraph graph,
            LineageDataset source,
            String field,
            Set<FieldRef> reached,
            Set<FieldRef> exact) {
        Set<String> pipelines = new TreeSet<>();
        List<ImpactedNode> nodes = new ArrayList<>();
        List<ImpactedNode> sinks = new ArrayList<>();
        List<ImpactedDataset> datasets = new ArrayList<>();
        for (LineageDataset d : graph.datasets()) {
            List<String> fields = new ArrayList<>();
            List<String> opaque = new ArrayList<>();
            collect(d.id(), d.fields(), reached, exact, fields, opaque);
            if (!fields.isEmpty()) {
                datasets.add(new ImpactedDataset(d, fields, opaque));
            }
        }
        for (LineageNode n : graph.nodes()) {
            List<String> fields = new ArrayList<>();
            List<String> opaque = new ArrayList<>();
            collect(n.id(), n.fields(), reached, exact, fields, opaque);
            if (fields.isEmpty()) {
                continue;
            }
            pipelines.add(n.pipeline());
            ImpactedNode impacted = new ImpactedNode(n, fields, opaque);
            if (n.kind().equals("sink")) {
                sinks.add(impacted);
            } else {
                nodes.add(impacted);
            }
        }
        return new LineageImpact(source, field, new ArrayList<>(pipelines), nodes, sinks, datasets);
    }

    private static void collect(
            String vertex,
            List<String> candidates,
            Set<FieldRef> reached,
            Set<FieldRef> exact,
            List<String> fields,
            List<String> opaque) {
        for (String f : candidates) {
            FieldRef ref = new FieldRef(vertex, f);
            if (reached.contains(ref)) {
                fields.add(f);
                if (!exact.contains(ref)) {
                    opaque.add(f);
                }
            }
        }
    }

    /** The dataset whose field was asked about. */
    public LineageDataset source() {
        return source;
    }

    /** The field asked about. */
    public String field() {
        return field;
    }

    /** Names of the pipelines with at least one affected node, sorted. */
    public List<String> pipelines() {
        return pipelines;
    }

    /** Affected sources and processors. */
    public List<ImpactedNode> nodes() {
        return nodes;
    }

    /** Affected sinks. */
    public List<ImpactedNode> sinks() {
        return sinks;
    }

    /** Affected datasets (not the source field itself). */
    public List<ImpactedDataset> datasets() {
        return datasets;
    }

    /** Whether nothing depends on the field. */
    public boolean isEmpty() {
        return nodes.isEmpty() && sinks.isEmpty() && datasets.isEmpty();
    }

    /** The impact as JSON, in the shape described in the class comment. */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode src = root.putObject("source");
        src.put("dataset", source.id());
        if (source.kind().equals(Datasets.TOPIC)) {
            src.put("topic", source.name());
        }
        src.put("field", field);
        ArrayNode ps = root.putArray("pipelines");
        pipelines.forEach(ps::add);
        ArrayNode ns = root.putArray("nodes");
        for (ImpactedNode n : nodes) {
            ObjectNode o = ns.addObject();
            o.put("pipeline", n.node().pipeline());
            o.put("node", n.node().node());
            o.put("kind", n.node().kind());
            o.put("type", n.node().type());
            fields(o, n.fields(), n.opaqueFields());
        }
        ArrayNode ss = root.putArray("sinks");
        for (ImpactedNode n : sinks) {
            ObjectNode o = ss.addObject();
            o.put("pipeline", n.node().pipeline());
            o.put("node", n.node().node());
            o.put("type", n.node().type());
            o.put("dataset", n.node().datasets().isEmpty() ? null : n.node().datasets().get(0));
            fields(o, n.fields(), n.opaqueFields());
        }
        ArrayNode ds = root.putArray("datasets");
        for (ImpactedDataset d : datasets) {
            ObjectNode o = ds.addObject();
            o.put("id", d.dataset().id());
            o.put("kind", d.dataset().kind());
            o.put("name", d.dataset().name());
            fields(o, d.fields(), d.opaqueFields());
        }
        return root;
    }

    private static void fields(ObjectNode o, List<String> fields, List<String> opaque) {
        fields.forEach(o.putArray("fields")::add);
        if (!opaque.isEmpty()) {
            opaque.forEach(o.putArray("opaqueFields")::add);
        }
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
