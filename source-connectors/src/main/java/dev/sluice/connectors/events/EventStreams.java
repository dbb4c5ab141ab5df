package dev.sluice.connectors.events;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The shape of an application event stream: the service's own record, plus the metadata the
 * platform stamps on every event, plus the schema properties by which the catalog recognises the
 * stream (whichever registry holds it, since they travel inside the schema).
 */
@PublicEvolving
public final class EventStreams {

    /** Unique id of an event, stable across retries of one {@code send}: the idempotency key. */
    public static final String EVENT_ID = "__event_id";

    /** When the event happened, epoch milliseconds (Avro {@code timestamp-millis}). */
    public static final String EVENT_TIME = "__ts_ms";

    /** Schema property marking a registered value schema as an application event stream. */
    public static final String KIND_PROPERTY = "sluice.kind";

    /** The value of {@link #KIND_PROPERTY} for event streams. */
    public static final String KIND_EVENTS = "event-stream";

    /** Schema property naming the team that owns the stream. */
    public static final String OWNER_PROPERTY = "sluice.owner";

    /** Schema property listing the key fields (comma separated), when the stream has keys. */
    public static final String KEY_PROPERTY = "sluice.key";

    private EventStreams() {}

    /**
     * The registered value schema of a stream of {@code schema} records: the record's fields, then
     * {@link #EVENT_ID} and {@link #EVENT_TIME}, marked as an event stream of {@code owner}.
     *
     * @throws IllegalArgumentException when {@code schema} is not a record or already uses a
     *     metadata field name
     */
    public static Schema valueSchema(Schema schema, String owner, List<String> keyFields) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(
                    "an event schema must be an Avro record, got " + schema.getType());
        }
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            if (f.name().equals(EVENT_ID) || f.name().equals(EVENT_TIME)) {
                throw new IllegalArgumentException(
                        "field '"
                                + f.name()
                                + "' of "
                                + schema.getFullName()
                                + " is reserved for the platform's event metadata");
            }
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(
                new Schema.Field(
                        EVENT_ID,
                        Schema.create(Schema.Type.STRING),
                        "unique id of the event (idempotency key)",
                        (Object) null));
        fields.add(
                new Schema.Field(
                        EVENT_TIME,
                        LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)),
                        "when the event happened",
                        (Object) null));
        Schema value =
                Schema.createRecord(
                        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
        value.addProp(KIND_PROPERTY, KIND_EVENTS);
        if (owner != null) {
            value.addProp(OWNER_PROPERTY, owner);
        }
        if (!keyFields.isEmpty()) {
            value.addProp(KEY_PROPERTY, String.join(",", keyFields));
        }
        return value;
    }

    /** The key schema of a stream keyed by {@code keyFields} of {@code schema}. */
    public static Schema keySchema(Schema schema, List<String> keyFields) {
        List<Schema.Field> fields = new ArrayList<>();
        for (String name : keyFields) {
            Schema.Field f = schema.getField(name);
            if (f == null) {
                throw new IllegalArgumentException(
                        "key field '"
                                + name
                                + "' is not a field of "
                                + schema.getFullName()
                                + "; its fields: "
                                + fieldNames(schema));
            }
            fields.add(new Schema.Field(f.name(), f.schema(), f.doc(), (Object) null));
        }
        return Schema.createRecord(
                schema.getName() + "Key", null, schema.getNamespace(), false, fields);
    }

    /** Whether a registered value schema is an event stream's. */
    public static boolean isEventStream(Schema schema) {
        return KIND_EVENTS.equals(schema.getProp(KIND_PROPERTY));
    }

    private static String fieldNames(Schema schema) {
        List<String> names = new ArrayList<>();
        schema.getFields().forEach(f -> names.add(f.name()));
        return String.join(", ", names);
    }
}
