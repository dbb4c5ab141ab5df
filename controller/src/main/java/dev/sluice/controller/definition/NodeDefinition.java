package dev.sluice.controller.definition;

import java.util.List;
import java.util.Objects;

/**
 * One source, processor or sink of a pipeline: its id, its factory type, the ids it reads and its
 * still-unchecked {@code config}.
 *
 * <p>One class serves all three kinds because they differ only in whether they have inputs; the
 * {@link NodeKind} says which list the node came from. A node knows its position in that list so
 * that every later stage (factories, planner, deployer) can report errors at {@link #pointer()}.
 * Instances are made by {@link PipelineDefinition.Builder}, which validates them. Equality covers
 * kind, id, type, inputs and config; the position is left out (a pipeline compares its lists in
 * order, which covers it).
 */
public final class NodeDefinition {
    private final NodeKind kind;
    private final int index;
    private final String id;
    private final String type;
    private final List<String> inputs;
    private final NodeConfig config;

    NodeDefinition(
            NodeKind kind,
            int index,
            String id,
            String type,
            List<String> inputs,
            NodeConfig config) {
        this.kind = kind;
        this.index = index;
        this.id = id;
        this.type = type;
        this.inputs = List.copyOf(inputs);
        this.config = config.withPointer(pointerOf(kind, index) + "/config");
    }

    static String pointerOf(NodeKind kind, int index) {
        return Pointers.child(kind.listPointer(), index);
    }

    /** The node id: unique in the pipeline; names the node in SQL, metrics, uids and errors. */
    public String id() {
        return id;
    }

    /** The factory identifier, e.g. {@code kafka}, {@code filter}, {@code postgres-cdc}. */
    public String type() {
        return type;
    }

    /** Which list the node is declared in. */
    public NodeKind kind() {
        return kind;
    }

    /**
     * The ids this node reads, in declared order (the first is a join's left side); empty for
     * sources.
     */
    public List<String> inputs() {
        return inputs;
    }

    /** The node's {@code config}, an empty one when the JSON had none. */
    public NodeConfig config() {
        return config;
    }

    /** The position in its list ({@code sources}, {@code processors} or {@code sinks}). */
    public int index() {
        return index;
    }

    /** The JSON pointer of the node object, e.g. {@code /processors/1}. */
    public String pointer() {
        return pointerOf(kind, index);
    }

    /** The same node with another config (e.g. secrets resolved); the pointer is kept. */
    NodeDefinition withConfig(NodeConfig newConfig) {
        return new NodeDefinition(kind, index, id, type, inputs, newConfig);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NodeDefinition)) {
            return false;
        }
        NodeDefinition that = (NodeDefinition) o;
        return kind == that.kind
                && id.equals(that.id)
                && type.equals(that.type)
                && inputs.equals(that.inputs)
                && config.equals(that.config);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, id, type, inputs, config);
    }

    @Override
    public String toString() {
        return kind.label()
                + " '"
                + id
                + "' ("
                + type
                + (inputs.isEmpty() ? "" : ", inputs " + inputs)
                + ") at "
                + pointer();
    }
}
