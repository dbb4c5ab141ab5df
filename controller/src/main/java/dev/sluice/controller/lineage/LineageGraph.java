package dev.sluice.controller.lineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.controller.definition.NodeDefinition;
import dev.sluice.controller.planning.PipelinePlan;
import dev.sluice.controller.planning.PlannedNode;
import dev.sluice.sdk.StreamDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.avro.Schema;

/**
 * Field-level lineage across every pipeline: which field of which dataset or pipeline node each
 * field is derived from. It answers "where does this column come from" and, through {@link
 * #impact}, "what breaks downstream if this field of this topic changes" — the question to ask
 * before an incompatible schema change.
 *
 * <p>Vertices are datasets ({@link LineageDataset}: topics, Iceberg and JDBC tables) and pipeline
 * nodes ({@link LineageNode}, id {@code <pipeline>/<node>}), each with its fields. Edges ({@link
 * LineageEdge}) join fields:
 *
 * <ul>
 *   <li>dataset field → the same field of each source node reading the dataset;
 *   <li>input node field → processor output field, as the processor's declared {@code lineage()}
 *       says (a filter's fields also depend on the fields its condition reads). A processor that
 *       declares none gets an <em>opaque</em> edge from every field of every input to every output
 *       field;
 *   <li>input node field → the same field of the sink → the same field of the dataset the sink
 *       writes.
 * </ul>
 *
 * Pipelines join through shared datasets: a topic pipeline A's {@code kafka} sink writes is the
 * vertex pipeline B's {@code kafka} source reads. The graph is immutable and built from plans only
 * ({@link #of}); nothing here talks to Kafka or the registry.
 *
 * <p>JSON form ({@link #toJson()}), in a stable order so that equal plans give equal text:
 *
 * <pre>{@code
 * {
 *   "datasets": [ {"id": "topic:orders", "kind": "topic", "name": "orders",
 *                  "fields": ["id", "status"]} ],                    // sorted by id
 *   "nodes":    [ {"id": "p/filter1", "pipeline": "p", "node": "filter1",
 *                  "kind": "processor", "type": "filter",
 *                  "fields": ["id", "status"]} ],   // by pipeline name, then in topological order
 *   "edges":    [ {"from": "topic:orders#status", "to": "p/orders#status"},
 *                 {"from": "p/orders#id", "to": "p/custom#x", "opaque": true} ]
 * }
 * }</pre>
 *
 * Fields are in schema order (a dataset's: in the order pipelines first mention them, pipelines
 * taken by name). Edges are ordered by their {@code from} field, then their {@code to} field, each
 * compared by vertex (in the order above: datasets, then nodes) and then by field position; {@code
 * "opaque": true} appears only on opaque edges.
 */
public final class LineageGraph {
    private final List<LineageDataset> datasets;
    private final List<LineageNode> nodes;
    private final List<LineageEdge> edges;
    private final Map<String, Integer> vertexOrder;
    private final Map<String, List<String>> fieldsByVertex;
    private final Map<FieldRef, Integer> fieldPosition;
    private final Map<String, LineageDataset> datasetsById;
    private final Map<String, LineageNode> nodesById;
    private final Map<FieldRef, List<LineageEdge>> outgoing;

    private LineageGraph(
            List<LineageDataset> datasets, List<LineageNode> nodes, Set<LineageEdge> edges) {
        this.datasets = List.copyOf(datasets);
        this.nodes = List.copyOf(nodes);
        Map<String, Integer> order = new HashMap<>();
        Map<String, List<String>> fields = new HashMap<>();
        Map<String, LineageDataset> byDataset = new LinkedHashMap<>();
        Map<String, LineageNode> byNode = new LinkedHashMap<>();
        for (LineageDataset d : this.datasets) {
            order.put(d.id(), order.size());
            fields.put(d.id(), d.fields());
            byDataset.put(d.id(), d);
        }
        for (LineageNode n : this.nodes) {
            order.put(n.id(), order.size());
            fields.put(n.id(), n.fields());
            byNode.put(n.id(), n);
        }
        this.vertexOrder = Collections.unmodifiableMap(order);
        this.fieldsByVertex = Collections.unmodifiableMap(fields);
        Map<FieldRef, Integer> positions = new HashMap<>();
        fields.forEach(
                (vertex, names) -> {
                    for (int i = 0; i < names.size(); i++) {
                        positions.put(new FieldRef(vertex, names.get(i)), i);
                    }
                });
        this.fieldPosition = Collections.unmodifiableMap(positions);
        this.datasetsById = Collections.unmodifiableMap(byDataset);
        this.nodesById = Collections.unmodifiableMap(byNode);
        List<LineageEdge> sorted = new ArrayList<>(edges);
        Comparator<FieldRef> byField = fieldOrder();
        sorted.sort(
                Comparator.comparing(LineageEdge::from, byField)
                        .thenComparing(LineageEdge::to, byField)
                        .thenComparing(LineageEdge::opaque));
        this.edges = List.copyOf(sorted);
        Map<FieldRef, List<LineageEdge>> out = new HashMap<>();
        for (LineageEdge e : this.edges) {
            out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
        }
        this.outgoing = out;
    }

    /**
     * The lineage of {@code plans}, the planned pipelines (their current schemas).
     *
     * @throws IllegalArgumentException when two plans have the same pipeline name
     */
    public static LineageGraph of(List<PipelinePlan> plans) {
        Objects.requireNonNull(plans, "plans");
        Map<String, PipelinePlan> byName = new TreeMap<>();
        for (PipelinePlan plan : plans) {
            String name = plan.definition().name();
            if (byName.put(name, plan) != null) {
                throw new IllegalArgumentException(
                        "two plans for pipeline '" + name + "'; a lineage graph takes one each");
            }
        }
        Builder builder = new Builder();
        byName.values().forEach(builder::add);
        return builder.build();
    }

    /** Datasets, sorted by id. */
    public List<LineageDataset> datasets() {
        return datasets;
    }

    /** Pipeline nodes, by pipeline name and then in the pipeline's topological order. */
    public List<LineageNode> nodes() {
        return nodes;
    }

    /** Field-level edges in the order described in the class comment. */
    public List<LineageEdge> edges() {
        return edges;
    }

    /** The dataset with {@code id} (e.g. {@code topic:orders}). */
    public Optional<LineageDataset> dataset(String id) {
        return Optional.ofNullable(datasetsById.get(id));
    }

    /** The node {@code node} of pipeline {@code pipeline}. */
    public Optional<LineageNode> node(String pipeline, String node) {
        return Optional.ofNullable(nodesById.get(LineageNode.idOf(pipeline, node)));
    }

    /** The names of the topics some pipeline reads or writes, sorted. */
    public List<String> topics() {
        List<String> topics = new ArrayList<>();
        for (LineageDataset d : datasets) {
            if (d.kind().equals(Datasets.TOPIC)) {
                topics.add(d.name());
            }
        }
        return topics;
    }

    /** The graph as JSON, in the shape and order described in the class comment. */
    public ObjectNode toJson() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        ArrayNode ds = root.putArray("datasets");
        for (LineageDataset d : datasets) {
            ObjectNode o = ds.addObject();
            o.put("id", d.id());
            o.put("kind", d.kind());
            o.put("name", d.name());
            d.fields().forEach(o.putArray("fields")::add);
        }
        ArrayNode ns = root.putArray("nodes");
        for (LineageNode n : nodes) {
            ObjectNode o = ns.addObject();
            o.put("id", n.id());
            o.put("pipeline", n.pipeline());
            o.put("node", n.node());
            o.put("kind", n.kind());
            o.put("type", n.type());
            n.fields().forEach(o.putArray("fields")::add);
        }
        ArrayNode es = root.putArray("edges");
        for (LineageEdge e : edges) {
            ObjectNode o = es.addObject();
            o.put("from", e.from().toString());
            o.put("to", e.to().toString());
            if (e.opaque()) {
                o.put("opaque", true);
            }
        }
        return root;
    }

    /**
     * The graph in Graphviz DOT: one cluster per pipeline, one record-shaped vertex per dataset and
     * node with a port per field ({@code f_<field>}), field-level edges between ports, opaque edges
     * dashed.
     */
    public String toDot() {
        return DotWriter.write(this);
    }

    /**
     * Everything downstream of field {@code field} of topic {@code source}, transitively across
     * pipelines.
     *
     * @param source a topic name, or a dataset id such as {@code iceberg:db.t} (topic names cannot
     *     contain {@code :}, so the two never clash)
     * @param field a field of that topic
     * @throws UnknownLineageSourceException when no pipeline reads or writes the topic, or the
     *     topic has no such field; the message lists what is known
     * @throws IllegalArgumentException when an argument is missing
     */
    public LineageImpact impact(String source, String field) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must be given: a topic name");
        }
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("field must be given: a field of topic " + source);
        }
        boolean isId = source.contains(":");
        String id = isId ? source : LineageDataset.idOf(Datasets.TOPIC, source);
        LineageDataset dataset = datasetsById.get(id);
        if (dataset == null) {
            String message =
                    isId
                            ? "unknown dataset '"
                                    + source
                                    + "': no pipeline reads or writes it; known datasets: "
                                    + datasetsById.keySet()
                            : "unknown topic '"
                                    + source
                                    + "': no pipeline reads or writes it; known topics: "
                                    + topics();
            throw new UnknownLineageSourceException(message, source, null);
        }
        if (!dataset.fields().contains(field)) {
            throw new UnknownLineageSourceException(
                    (isId ? "dataset '" : "topic '")
                            + source
                            + "' has no field '"
                            + field
                            + "'; its fields: "
                            + dataset.fields(),
                    source,
                    field);
        }
        FieldRef start = new FieldRef(id, field);
        Set<FieldRef> reached = downstream(start, e -> true);
        Set<FieldRef> exact = downstream(start, e -> !e.opaque());
        return LineageImpact.of(this, dataset, field, reached, exact);
    }

    /** Fields of vertex {@code id} (dataset or node), in order; empty for an unknown vertex. */
    List<String> fieldsOf(String id) {
        return fieldsByVertex.getOrDefault(id, List.of());
    }

    /** Compares fields by vertex position, then field position. */
    Comparator<FieldRef> fieldOrder() {
        return Comparator.<FieldRef>comparingInt(f -> vertexOrder.getOrDefault(f.vertex(), -1))
                .thenComparingInt(f -> fieldPosition.getOrDefault(f, -1));
    }

    private Set<FieldRef> downstream(FieldRef start, Predicate<LineageEdge> follow) {
        Set<FieldRef> seen = new HashSet<>();
        Deque<FieldRef> queue = new ArrayDeque<>();
        queue.add(start);
        seen.add(start);
        while (!queue.isEmpty()) {
            FieldRef at = queue.poll();
            for (LineageEdge e : outgoing.getOrDefault(at, List.of())) {
                if (follow.test(e) && seen.add(e.to())) {
                    queue.add(e.to());
                }
            }
        }
        seen.remove(start);
        return seen;
    }

    /** Collects vertices and edges pipeline by pipeline. */
    private static final class Builder {
        private final Map<String, String[]> datasetNames = new TreeMap<>();
        private final Map<String, LinkedHashSet<String>> datasetFields = new HashMap<>();
        private final List<LineageNode> nodes = new ArrayList<>();
        private final Map<String, List<String>> nodeFields = new HashMap<>();
        private final Set<LineageEdge> edges = new LinkedHashSet<>();

        void add(PipelinePlan plan) {
            String pipeline = plan.definition().name();
            for (PlannedNode planned : plan.nodes().values()) {
                NodeDefinition def = planned.definition();
                String id = LineageNode.idOf(pipeline, def.id());
                if (planned.isSource()) {
                    List<String> fields = fieldNames(planned.output());
                    List<String> read =
                            Datasets.ofSource(pipeline, def, planned.asSource().topics());
                    for (String dataset : read) {
                        LinkedHashSet<String> known = dataset(dataset);
                        for (String f : fields) {
                            known.add(f);
                            edges.add(edge(dataset, f, id, f, false));
                        }
                    }
                    addNode(pipeline, def, fields, read);
                } else if (planned.isProcessor()) {
                    List<String> fields = fieldNames(planned.output());
                    addNode(pipeline, def, fields, List.of());
                    addProcessorEdges(pipeline, def, planned, fields);
                } else if (planned.isSink()) {
                    LinkedHashSet<String> written = new LinkedHashSet<>();
                    for (String input : def.inputs()) {
                        written.addAll(fieldsOfNode(pipeline, input));
                    }
                    List<String> fields = List.copyOf(written);
                    String dataset = Datasets.ofSink(pipeline, def, planned.asSink().topics());
                    addNode(pipeline, def, fields, List.of(dataset));
                    for (String input : def.inputs()) {
                        String from = LineageNode.idOf(pipeline, input);
                        for (String f : fieldsOfNode(pipeline, input)) {
                            edges.add(edge(from, f, id, f, false));
                        }
                    }
                    LinkedHashSet<String> known = dataset(dataset);
                    for (String f : fields) {
                        known.add(f);
                        edges.add(edge(id, f, dataset, f, false));
                    }
                }
            }
        }

        private void addProcessorEdges(
                String pipeline, NodeDefinition def, PlannedNode planned, List<String> fields) {
            String id = LineageNode.idOf(pipeline, def.id());
            Map<String, Set<String>> lineage = planned.asProcessor().lineage();
            if (lineage == null || lineage.isEmpty()) {
                for (String input : def.inputs()) {
                    String from = LineageNode.idOf(pipeline, input);
                    for (String in : fieldsOfNode(pipeline, input)) {
                        for (String out : fields) {
                            edges.add(edge(from, in, id, out, true));
                        }
                    }
                }
                return;
            }
            for (Map.Entry<String, Set<String>> e : lineage.entrySet()) {
                String out = e.getKey();
                if (!fields.contains(out) || e.getValue() == null) {
                    continue;
                }
                for (String ref : e.getValue()) {
                    // "<input node id>.<field>": node ids cannot contain dots, fields neither.
                    int dot = ref.indexOf('.');
                    if (dot <= 0) {
                        continue;
                    }
                    String input = ref.substring(0, dot);
                    String in = ref.substring(dot + 1);
                    if (def.inputs().contains(input)
                            && fieldsOfNode(pipeline, input).contains(in)) {
                        edges.add(edge(LineageNode.idOf(pipeline, input), in, id, out, false));
                    }
                }
            }
        }

        private void addNode(
                String pipeline, NodeDefinition def, List<String> fields, List<String> datasets) {
            LineageNode node =
                    new LineageNode(
                            pipeline, def.id(), def.kind().label(), def.type(), fields, datasets);
            nodes.add(node);
            nodeFields.put(node.id(), node.fields());
        }

        private List<String> fieldsOfNode(String pipeline, String node) {
            return nodeFields.getOrDefault(LineageNode.idOf(pipeline, node), List.of());
        }

        private LinkedHashSet<String> dataset(String id) {
            int colon = id.indexOf(':');
            datasetNames.putIfAbsent(
                    id, new String[] {id.substring(0, colon), id.substring(colon + 1)});
            return datasetFields.computeIfAbsent(id, k -> new LinkedHashSet<>());
        }

        private static LineageEdge edge(
                String fromVertex, String fromField, String toVertex, String toField, boolean op) {
            return new LineageEdge(
                    new FieldRef(fromVertex, fromField), new FieldRef(toVertex, toField), op);
        }

        private static List<String> fieldNames(StreamDescriptor stream) {
            List<String> names = new ArrayList<>();
            if (stream != null && stream.schema().getType() == Schema.Type.RECORD) {
                stream.schema().getFields().forEach(f -> names.add(f.name()));
            }
            return names;
        }

        LineageGraph build() {
            List<LineageDataset> datasets = new ArrayList<>();
            datasetNames.forEach(
                    (id, kindAndName) ->
                            datasets.add(
                                    new LineageDataset(
                                            id,
                                            kindAndName[0],
                                            kindAndName[1],
                                            List.copyOf(datasetFields.get(id)))));
            return new LineageGraph(datasets, nodes, edges);
        }
    }
}
