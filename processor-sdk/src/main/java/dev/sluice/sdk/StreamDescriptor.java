package dev.sluice.sdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;

/**
 * What a node knows at plan time about one of its inputs (or declares about its output): the id of
 * the node producing it, its Avro value schema and its kind; optionally the Avro schema of its keys
 * (when the producing node makes keys itself) and its declared event time.
 *
 * <p>Keys in {@link SluiceRecord#key()} are always the bytes as they are (or will be) on a Kafka
 * topic. A stream with a {@link #keySchema()} carries keys in Confluent wire format of that schema,
 * so a sink writing it registers the same schema under {@code <topic>-key} (the registry hands out
 * the same id for an equal schema) and writes the bytes unchanged.
 */
@PublicEvolving
public final class StreamDescriptor {
    private final String nodeId;
    private final Schema schema;
    private final StreamKind kind;
    private final Schema keySchema;
    private final EventTime eventTime;

    public StreamDescriptor(String nodeId, Schema schema, StreamKind kind) {
        this(nodeId, schema, kind, null, null);
    }

    private StreamDescriptor(
            String nodeId, Schema schema, StreamKind kind, Schema keySchema, EventTime eventTime) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.keySchema = keySchema;
        this.eventTime = eventTime;
    }

    /** This stream with keys of {@code keySchema} (an Avro record of the key fields). */
    public StreamDescriptor withKeySchema(Schema keySchema) {
        return new StreamDescriptor(nodeId, schema, kind, keySchema, eventTime);
    }

    /** This stream with a declared event time. */
    public StreamDescriptor withEventTime(EventTime eventTime) {
        return new StreamDescriptor(nodeId, schema, kind, keySchema, eventTime);
    }

    /**
     * The schema of the keys when the producing node makes them (CDC primary keys, aggregate GROUP
     * BY columns); empty when keys are carried through as they were read.
     */
    public Optional<Schema> keySchema() {
        return Optional.ofNullable(keySchema);
    }

    /** The declared event time, when the stream has one. */
    public Optional<EventTime> eventTime() {
        return Optional.ofNullable(eventTime);
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
