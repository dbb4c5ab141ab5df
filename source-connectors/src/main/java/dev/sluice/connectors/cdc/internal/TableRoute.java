package dev.sluice.connectors.cdc.internal;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * Where the changes of one captured table go and how they are encoded: its topic, the value and key
 * schemas derived at plan time and the registry ids they got at provisioning.
 */
@Internal
public final class TableRoute implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String tableId;
    private final String sourceName;
    private final String topic;
    private final String valueSchemaJson;
    private final int valueSchemaId;
    private final String keySchemaJson;
    private final int keySchemaId;
    private final List<String> keyColumns;

    /**
     * @param tableId the table as Debezium names it: {@code schema.table} (PostgreSQL) or {@code
     *     database.table} (MySQL/MariaDB)
     * @param sourceName what {@code __source} starts with: {@code db.schema.table} or {@code
     *     db.table}
     */
    public TableRoute(
            String tableId,
            String sourceName,
            String topic,
            String valueSchemaJson,
            int valueSchemaId,
            String keySchemaJson,
            int keySchemaId,
            List<String> keyColumns) {
        this.tableId = Objects.requireNonNull(tableId, "tableId");
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.valueSchemaJson = Objects.requireNonNull(valueSchemaJson, "valueSchemaJson");
        this.valueSchemaId = valueSchemaId;
        this.keySchemaJson = Objects.requireNonNull(keySchemaJson, "keySchemaJson");
        this.keySchemaId = keySchemaId;
        this.keyColumns = List.copyOf(keyColumns);
    }

    public String tableId() {
        return tableId;
    }

    public String sourceName() {
        return sourceName;
    }

    public String topic() {
        return topic;
    }

    public String valueSchemaJson() {
        return valueSchemaJson;
    }

    public int valueSchemaId() {
        return valueSchemaId;
    }

    public String keySchemaJson() {
        return keySchemaJson;
    }

    public int keySchemaId() {
        return keySchemaId;
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    @Override
    public String toString() {
        return tableId + " -> " + topic;
    }
}
