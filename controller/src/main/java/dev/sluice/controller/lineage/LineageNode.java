package dev.sluice.controller.lineage;

import java.util.List;
import java.util.Objects;

/**
 * A source, processor or sink of one pipeline as a vertex of the lineage graph, with the fields of
 * its output (a sink: the fields it writes).
 *
 * @param pipeline the pipeline name
 * @param node the node id in the pipeline
 * @param kind {@code source}, {@code processor} or {@code sink}
 * @param type the node's factory type, e.g. {@code filter}, {@code kafka}
 * @param fields the output (or, for sinks, written) fields in schema order
 * @param datasets the datasets a source reads from or a sink writes to; empty for processors
 */
public record LineageNode(
        String pipeline,
        String node,
        String kind,
        String type,
        List<String> fields,
        List<String> datasets) {

    public LineageNode {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        fields = List.copyOf(fields);
        datasets = List.copyOf(datasets);
    }

    /** {@code <pipeline>/<node>}: the vertex id. */
    public String id() {
        return idOf(pipeline, node);
    }

    /** The vertex id of node {@code node} of pipeline {@code pipeline}. */
    public static String idOf(String pipeline, String node) {
        return pipeline + "/" + node;
    }
}
