package dev.sluice.controller.lineage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link LineageGraph} as Graphviz DOT, for people: {@code dot -Tsvg} shows datasets
 * between pipeline clusters and a line per field dependency.
 *
 * <p>Every id, port and label is a quoted string; ports are {@code f_<field>} so that a field named
 * like a compass point ({@code n}, {@code e}, {@code c}, ...) is still read as a port.
 */
final class DotWriter {
    private static final String INDENT = "  ";

    private DotWriter() {}

    static String write(LineageGraph graph) {
        StringBuilder out = new StringBuilder();
        out.append("digraph \"sluice-lineage\" {\n");
        out.append(INDENT).append("graph [rankdir=LR];\n");
        out.append(INDENT).append("node [shape=record, fontname=\"Helvetica\", fontsize=10];\n");
        out.append(INDENT).append("edge [arrowsize=0.6];\n");
        for (LineageDataset d : graph.datasets()) {
            vertex(out, INDENT, d.id(), d.id(), d.fields());
        }
        Map<String, List<LineageNode>> byPipeline = new LinkedHashMap<>();
        for (LineageNode n : graph.nodes()) {
            byPipeline.computeIfAbsent(n.pipeline(), p -> new ArrayList<>()).add(n);
        }
        for (Map.Entry<String, List<LineageNode>> p : byPipeline.entrySet()) {
            out.append(INDENT)
                    .append("subgraph ")
                    .append(quote("cluster_" + p.getKey()))
                    .append(" {\n");
            String inner = INDENT + INDENT;
            out.append(inner).append("label=").append(quote(p.getKey())).append(";\n");
            out.append(inner).append("style=rounded;\n");
            for (LineageNode n : p.getValue()) {
                vertex(
                        out,
                        inner,
                        n.id(),
                        n.node() + " (" + n.type() + " " + n.kind() + ")",
                        n.fields());
            }
            out.append(INDENT).append("}\n");
        }
        for (LineageEdge e : graph.edges()) {
            out.append(INDENT)
                    .append(endpoint(e.from()))
                    .append(" -> ")
                    .append(endpoint(e.to()))
                    .append(e.opaque() ? " [style=dashed]" : "")
                    .append(";\n");
        }
        out.append("}\n");
        return out.toString();
    }

    private static void vertex(
            StringBuilder out, String indent, String id, String title, List<String> fields) {
        StringBuilder label = new StringBuilder(recordText(title));
        for (String f : fields) {
            label.append('|').append('<').append(port(f)).append("> ").append(recordText(f));
        }
        out.append(indent)
                .append(quote(id))
                .append(" [label=")
                .append(quote(label.toString()))
                .append("];\n");
    }

    private static String endpoint(FieldRef ref) {
        return quote(ref.vertex()) + ":" + quote(port(ref.field()));
    }

    private static String port(String field) {
        return "f_" + field;
    }

    /**
     * Escapes what a record label gives meaning to (field separators, ports, braces) and spaces,
     * which the record parser would otherwise collapse; quotes are left to {@link #quote}.
     */
    static String recordText(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("{}|<> \\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** {@code text} as a DOT quoted string. */
    static String quote(String text) {
        return '"' + text.replace("\"", "\\\"") + '"';
    }
}
