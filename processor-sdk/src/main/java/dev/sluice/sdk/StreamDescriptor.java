package dev.sluice.sdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;

/**
 * What a node knows at plan time about one of its inputs (or declares about its output): the id of
 * the node producing it, its Avro value schema and its kind.
 */
@PublicEvolving
public final class StreamDescriptor {
    private final String nodeId;
    private final Schema schema;
    private final StreamKind kind;

    public StreamDescriptor(String nodeId, Schema schema, StreamKind kind) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** The id of the node that produces this stream. */
    public String nodeId() {
        return nodeId;
    }

    /** The Avro schema of the stream's values (always a record). */
    public Schema schema() {
        return schema;
    }

    /** Append or changelog. */
    public StreamKind kind() {
        return kind;
    }

    /**
     * Field-level lineage of a processor that passes this stream's fields through unchanged: each
     * field from {@code <node id>.<field>}, in field order.
     */
    public Map<String, Set<String>> identityLineage() {
        Map<String, Set<String>> lineage = new LinkedHashMap<>();
        for (Schema.Field f : schema.getFields()) {
            lineage.put(f.name(), Set.of(nodeId + "." + f.name()));
        }
        return lineage;
    }

    @Override
    public String toString() {
        return nodeId + "(" + schema.getFullName() + ", " + kind + ")";
    }
}
