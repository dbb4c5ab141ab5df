package dev.sluice.controller.lineage;

import java.util.Objects;

/**
 * One field of one vertex of the lineage graph: {@code <vertex id>#<field>}, e.g. {@code
 * topic:orders#status} or {@code paid-orders/slim#title}.
 *
 * <p>Exists so that edges and impact results name a field without ambiguity: vertex ids never
 * contain {@code #} (topic, table and node names cannot), and Avro field names never do either.
 *
 * @param vertex the id of a dataset ({@code topic:orders}) or pipeline node ({@code p/filter1})
 * @param field the field name
 */
public record FieldRef(String vertex, String field) {

    public FieldRef {
        Objects.requireNonNull(vertex, "vertex");
        Objects.requireNonNull(field, "field");
    }

    /** {@code <vertex>#<field>}, the form used in the JSON and in messages. */
    @Override
    public String toString() {
        return vertex + "#" + field;
    }
}
