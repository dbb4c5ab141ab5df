package dev.sluice.processors.sql;

import dev.sluice.sdk.EventTime;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

/**
 * How one input of a {@code sql} processor appears as a table: its columns (the value's fields with
 * their Flink types, in field order), the event-time column when the input declares one, and
 * optionally the hidden {@link #KEY_COLUMN} that carries the record's Kafka key through a query.
 *
 * <p>Derived from the Avro schema alone, so the plan and every operator instance derive the same
 * layout; it is serializable for the operators that convert records into rows.
 */
final class InputTable implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The column that carries the Kafka key bytes when a query passes keys through. */
    static final String KEY_COLUMN = "__sluice_key";

    private final String id;
    private final String schemaJson;
    private final EventTime eventTime;
    private final boolean keyed;
    private final boolean changelog;
    private transient Layout layout;

    private InputTable(
            String id, Schema schema, EventTime eventTime, boolean keyed, boolean changelog) {
        this.id = id;
        this.schemaJson = schema.toString();
        this.eventTime = eventTime;
        this.keyed = keyed;
        this.changelog = changelog;
        this.layout = new Layout(schema, eventTime);
    }

    /**
     * The table of an input.
     *
     * @throws IllegalArgumentException if the declared event-time field is missing or not a long
     */
    static InputTable of(
            String id, Schema schema, EventTime eventTime, boolean keyed, boolean changelog) {
        return new InputTable(id, schema, eventTime, keyed, changelog);
    }

    /** The same input with or without the key column. */
    InputTable keyed(boolean withKey) {
        return new InputTable(id, layout().schema, eventTime, withKey, changelog);
    }

    /** The table name: the input's node id. */
    String id() {
        return id;
    }

    Schema schema() {
        return layout().schema;
    }

    EventTime eventTime() {
        return eventTime;
    }

    boolean hasKeyColumn() {
        return keyed;
    }

    boolean changelog() {
        return changelog;
    }

    /** Value fields with a column, in table order. */
    List<Schema.Field> fields() {
        return layout().fields;
    }

    /** The Flink types of {@link #fields()}. */
    List<DataType> types() {
        return layout().types;
    }

    /** Fields left out because Flink SQL has no type for them: field name to reason. */
    Map<String, String> skipped() {
        return layout().skipped;
    }

    /** The index of the event-time column, or -1. */
    int rowtimeIndex() {
        return layout().rowtimeIndex;
    }

    /** The number of columns, the key column included. */
    int arity() {
        return layout().fields.size() + (keyed ? 1 : 0);
    }

    /** The row type of the table: the columns, then the key column when there is one. */
    DataType rowType() {
        List<DataTypes.Field> columns = new ArrayList<>();
        Layout l = layout();
        for (int i = 0; i < l.fields.size(); i++) {
            columns.add(DataTypes.FIELD(l.fields.get(i).name(), l.types.get(i)));
        }
        if (keyed) {
            columns.add(DataTypes.FIELD(KEY_COLUMN, DataTypes.BYTES()));
        }
        return DataTypes.ROW(columns).notNull();
    }

    private Layout layout() {
        if (layout == null) {
            layout = new Layout(new Schema.Parser().parse(schemaJson), eventTime);
        }
        return layout;
    }

    /** Whether an Avro type can hold an event time: a long, plain or timestamp-millis/-micros. */
    static boolean isEventTimeType(Schema fieldSchema) {
        Schema s = RowConverters.nonNull(fieldSchema);
        if (s.getType() != Schema.Type.LONG) {
            return false;
        }
        return s.getLogicalType() == null
                || s.getLogicalType() instanceof LogicalTypes.TimestampMillis
                || s.getLogicalType() instanceof LogicalTypes.TimestampMicros;
    }

    private static final class Layout {
        final Schema schema;
        final List<Schema.Field> fields = new ArrayList<>();
        final List<DataType> types = new ArrayList<>();
        final Map<String, String> skipped;
        final int rowtimeIndex;

        Layout(Schema schema, EventTime eventTime) {
            this.schema = schema;
            Map<String, String> left = new LinkedHashMap<>();
            int rowtime = -1;
            for (Schema.Field f : schema.getFields()) {
                if (eventTime != null && f.name().equals(eventTime.field())) {
                    if (!isEventTimeType(f.schema())) {
                        throw new IllegalArgumentException(
                                "its event-time field '"
                                        + f.name()
                                        + "' has type "
                                        + AvroFlinkTypes.describe(f.schema())
                                        + "; an event time is a long of epoch milliseconds or a"
                                        + " timestamp-millis/-micros long");
                    }
                    rowtime = fields.size();
                    fields.add(f);
                    // Windows need a TIMESTAMP(3) time attribute; records without a time are
                    // dead-lettered before they reach the query.
                    types.add(DataTypes.TIMESTAMP(3).notNull());
                    continue;
                }
                try {
                    types.add(AvroFlinkTypes.toDataType(f.schema()));
                    fields.add(f);
                } catch (AvroFlinkTypes.UnsupportedTypeException e) {
                    left.put(f.name(), e.getMessage());
                }
            }
            if (eventTime != null && rowtime < 0) {
                throw new IllegalArgumentException(
                        "its event-time field '"
                                + eventTime.field()
                                + "' is not a field of its schema");
            }
            this.rowtimeIndex = rowtime;
            this.skipped = Collections.unmodifiableMap(left);
        }
    }
}
