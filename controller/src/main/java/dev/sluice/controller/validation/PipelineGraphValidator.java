package dev.sluice.controller.validation;

import dev.sluice.controller.definition.NodeDefinition;
import dev.sluice.controller.definition.NodeKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that a pipeline's nodes form a DAG a planner can turn into jobs: every input names a
 * source or processor, no node reads itself or a sink, no cycles, and every processor feeds a sink.
 * All graph rules live here, in one place, with messages that name the nodes involved.
 *
 * <p>A source that nothing reads is allowed: the contract's own example has one, and a CDC source's
 * topic is published to the catalog even when this pipeline does not read it. {@link
 * dev.sluice.controller.definition.PipelineDefinition#unreadSources()} lists them for warnings.
 */
public final class PipelineGraphValidator {
    private PipelineGraphValidator() {}

    /**
     * Validates the graph and returns its topological order: sources first, then every node after
     * all of its inputs, ties broken by declaration order.
     *
     * @param nodes all nodes in declaration order (sources, then processors, then sinks), with
     *     unique ids
     * @throws PipelineValidationException at the first problem found
     */
    public static List<NodeDefinition> validate(List<NodeDefinition> nodes) {
        Map<String, NodeDefinition> byId = new LinkedHashMap<>();
        for (NodeDefinition node : nodes) {
            if (byId.put(node.id(), node) != null) {
                throw new IllegalArgumentException("duplicate node id " + node.id());
            }
        }
        checkInputs(nodes, byId);
        checkAcyclic(nodes, byId);
        checkProcessorsReachSinks(nodes, byId);
        return topologicalOrder(nodes);
    }

    private static void checkInputs(List<NodeDefinition> nodes, Map<String, NodeDefinition> byId) {
        for (NodeDefinition node : nodes) {
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < node.inputs().size(); j++) {
                String input = node.inputs().get(j);
                String pointer = node.pointer() + "/inputs/" + j;
                if (input.equals(node.id())) {
                    throw PipelineValidationException.at(
                            pointer,
                            node.kind().label()
                                    + " '"
                                    + node.id()
                                    + "' reads itself; inputs must name other sources or"
                                    + " processors; known: "
                                    + known(nodes, node));
                }
                NodeDefinition upstream = byId.get(input);
                if (upstream == null) {
                    throw PipelineValidationException.at(
                            pointer,
                            "input '"
                                    + input
                                    + "' names no source or processor; known: "
                                    + known(nodes, node));
                }
                if (upstream.kind() == NodeKind.SINK) {
                    throw PipelineValidationException.at(
                            pointer,
                            "input '"
                                    + input
                                    + "' names a sink, and sinks produce nothing to read;"
                                    + " inputs must name sources or processors; known: "
                                    + known(nodes, node));
                }
                if (!seen.add(input)) {
                    throw PipelineValidationException.at(
                            pointer, "input '" + input + "' is listed twice; list each input once");
                }
            }
        }
    }

    /** The ids a node may read: sources and processors other than itself, in declaration order. */
    private static String known(List<NodeDefinition> nodes, NodeDefinition self) {
        return nodes.stream()
                .filter(n -> n.kind() != NodeKind.SINK && n != self)
                .map(NodeDefinition::id)
                .collect(Collectors.joining(", "));
    }

    private static void checkAcyclic(List<NodeDefinition> nodes, Map<String, NodeDefinition> byId) {
        // Only processors can be on a cycle: sources have no inputs and nothing reads a sink.
        Map<String, List<NodeDefinition>> readers = readers(nodes);
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on path, 2: done
        for (NodeDefinition node : nodes) {
            if (node.kind() == NodeKind.PROCESSOR && !state.containsKey(node.id())) {
                List<NodeDefinition> cycle = findCycle(node, readers, state, new ArrayList<>());
                if (cycle != null) {
                    throw cycleError(cycle, nodes);
                }
            }
        }
    }

    /** Depth-first along the data flow; returns the nodes of the first cycle met, or null. */
    private static List<NodeDefinition> findCycle(
            NodeDefinition node,
            Map<String, List<NodeDefinition>> readers,
            Map<String, Integer> state,
            List<NodeDefinition> path) {
        state.put(node.id(), 1);
        path.add(node);
        for (NodeDefinition reader : readers.getOrDefault(node.id(), List.of())) {
            if (reader.kind() != NodeKind.PROCESSOR) {
                continue;
            }
            Integer s = state.get(reader.id());
            if (s == null) {
                List<NodeDefinition> cycle = findCycle(reader, readers, state, path);
                if (cycle != null) {
                    return cycle;
                }
            } else if (s == 1) {
                return new ArrayList<>(path.subList(path.indexOf(reader), path.size()));
            }
        }
        path.remove(path.size() - 1);
        state.put(node.id(), 2);
        return null;
    }

    private static PipelineValidationException cycleError(
            List<NodeDefinition> cycle, List<NodeDefinition> nodes) {
        // Start at the node declared first, so the message does not depend on the search order.
        NodeDefinition first =
                cycle.stream()
                        .min((a, b) -> Integer.compare(nodes.indexOf(a), nodes.indexOf(b)))
                        .orElseThrow();
        Collections.rotate(cycle, -cycle.indexOf(first));
        NodeDefinition last = cycle.get(cycle.size() - 1);
        String path =
                cycle.stream().map(NodeDefinition::id).collect(Collectors.joining(" -> "))
                        + " -> "
                        + first.id();
        return new PipelineValidationException(
                first.pointer() + "/inputs/" + first.inputs().indexOf(last.id()),
                "cycle: "
                        + path
                        + "; the nodes must form a DAG: no processor may read its own output,"
                        + " directly or through other processors");
    }

    private static void checkProcessorsReachSinks(
            List<NodeDefinition> nodes, Map<String, NodeDefinition> byId) {
        Set<String> feedsSink = new HashSet<>();
        List<NodeDefinition> work = new ArrayList<>();
        for (NodeDefinition node : nodes) {
            if (node.kind() == NodeKind.SINK) {
                work.add(node);
            }
        }
        while (!work.isEmpty()) {
            NodeDefinition node = work.remove(work.size() - 1);
            for (String input : node.inputs()) {
                if (feedsSink.add(input)) {
                    work.add(byId.get(input));
                }
            }
        }
        for (NodeDefinition node : nodes) {
            if (node.kind() == NodeKind.PROCESSOR && !feedsSink.contains(node.id())) {
                throw new PipelineValidationException(
                        node.pointer(),
                        "processor '"
                                + node.id()
                                + "' does not reach any sink; every processor must feed a sink,"
                                + " directly or through other processors");
            }
        }
    }

    private static List<NodeDefinition> topologicalOrder(List<NodeDefinition> nodes) {
        Map<String, Integer> index = new HashMap<>();
        int[] missing = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).id(), i);
            missing[i] = nodes.get(i).inputs().size();
        }
        Map<String, List<NodeDefinition>> readers = readers(nodes);
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (missing[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeDefinition> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            NodeDefinition node = nodes.get(ready.poll());
            order.add(node);
            for (NodeDefinition reader : readers.getOrDefault(node.id(), List.of())) {
                int r = index.get(reader.id());
                if (--missing[r] == 0) {
                    ready.add(r);
                }
            }
        }
        return Collections.unmodifiableList(order);
    }

    /** For each id, the nodes that list it as an input, in declaration order. */
    private static Map<String, List<NodeDefinition>> readers(List<NodeDefinition> nodes) {
        Map<String, List<NodeDefinition>> readers = new HashMap<>();
        for (NodeDefinition node : nodes) {
            for (String input : node.inputs()) {
                readers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
            }
        }
        return readers;
    }
}
