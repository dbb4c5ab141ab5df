package dev.sluice.processors.sql;

import dev.sluice.sdk.StreamKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * Everything planning found out about a {@code sql} processor, and all translation needs: the query
 * to run (the user's, or the user's with the key column added), its tables, the result's columns
 * and which of them make the output value and key.
 */
final class SqlPlan {
    final String query;
    final List<InputTable> tables;
    final boolean insertOnly;
    final List<LogicalType> columnTypes;
    final Schema outputSchema;
    final Schema keySchema;
    final int[] valueColumns;
    final int[] keyColumns;
    final int keyBytesColumn;
    final Map<String, Set<String>> lineage;

    SqlPlan(
            String query,
            List<InputTable> tables,
            boolean insertOnly,
            List<LogicalType> columnTypes,
            Schema outputSchema,
            Schema keySchema,
            int[] valueColumns,
            int[] keyColumns,
            int keyBytesColumn,
            Map<String, Set<String>> lineage) {
        this.query = query;
        this.tables = List.copyOf(tables);
        this.insertOnly = insertOnly;
        this.columnTypes = List.copyOf(columnTypes);
        this.outputSchema = outputSchema;
        this.keySchema = keySchema;
        this.valueColumns = valueColumns.clone();
        this.keyColumns = keyColumns.clone();
        this.keyBytesColumn = keyBytesColumn;
        this.lineage = Collections.unmodifiableMap(new LinkedHashMap<>(lineage));
    }

    StreamKind kind() {
        return insertOnly ? StreamKind.APPEND : StreamKind.CHANGELOG;
    }

    /** Whether output keys are the input records' keys, passed through. */
    boolean passesKeysThrough() {
        return keyBytesColumn >= 0;
    }
}
