package dev.sluice.controller.lineage;

import java.util.Objects;

/**
 * A field-level edge of the lineage graph: the value of {@code to} is derived from (or is a copy
 * of) the value of {@code from}.
 *
 * <p>{@code opaque} edges come from processors that do not declare their lineage (plugins, SQL
 * queries): the graph then assumes every input field may feed every output field. Impact analysis
 * still follows them, but reports what it reached only through them apart, because it may not
 * really depend on the source field.
 *
 * @param from the upstream field
 * @param to the downstream field
 * @param opaque whether the edge is an assumption rather than declared lineage
 */
public record LineageEdge(FieldRef from, FieldRef to, boolean opaque) {

    public LineageEdge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String toString() {
        return from + " -> " + to + (opaque ? " (opaque)" : "");
    }
}
