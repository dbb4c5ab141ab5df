package dev.sluice.connectors.cdc.schema;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A captured table as read from the database's catalog: where it lives, its columns in table order
 * and the columns that identify a row (the primary key, or the columns the user named in {@code
 * keys}). Immutable; the constructor checks that the key columns exist.
 */
public final class TableDefinition {
    private final String database;
    private final String schema;
    private final String table;
    private final List<ColumnDefinition> columns;
    private final List<String> keyColumns;

    /**
     * @param database the database (PostgreSQL) or schema (MySQL/MariaDB) name
     * @param schema the PostgreSQL schema, or {@code null} for MySQL/MariaDB
     * @param table the table name
     * @param columns the columns in table order
     * @param keyColumns the key columns in key order; may be empty for a table without a key
     */
    public TableDefinition(
            String database,
            String schema,
            String table,
            List<ColumnDefinition> columns,
            List<String> keyColumns) {
        this.database = Objects.requireNonNull(database, "database");
        this.schema = schema;
        this.table = Objects.requireNonNull(table, "table");
        this.columns = List.copyOf(columns);
        this.keyColumns = List.copyOf(keyColumns);
        if (this.columns.isEmpty()) {
            throw new IllegalArgumentException("table " + qualifiedName() + " has no columns");
        }
        Set<String> names = new LinkedHashSet<>();
        for (ColumnDefinition c : this.columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(
                        "table " + qualifiedName() + " has column '" + c.name() + "' twice");
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String k : this.keyColumns) {
            if (!names.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "key columns "
                            + unknown
                            + " are not columns of "
                            + qualifiedName()
                            + "; its columns: "
                            + String.join(", ", names));
        }
        if (new LinkedHashSet<>(this.keyColumns).size() != this.keyColumns.size()) {
            throw new IllegalArgumentException(
                    "key columns of " + qualifiedName() + " repeat a column: " + this.keyColumns);
        }
    }

    public String database() {
        return database;
    }

    /** The PostgreSQL schema; empty for MySQL/MariaDB. */
    public Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    public String table() {
        return table;
    }

    public List<ColumnDefinition> columns() {
        return columns;
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    /** The column called {@code name}. */
    public Optional<ColumnDefinition> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * The name the capture uses for the table: {@code schema.table} for PostgreSQL, {@code
     * database.table} for MySQL/MariaDB (as in Debezium's {@code table.include.list}).
     */
    public String qualifiedName() {
        return (schema != null ? schema : database) + "." + table;
    }

    /** The same table with other key columns. */
    public TableDefinition withKeyColumns(List<String> keys) {
        return new TableDefinition(database, schema, table, columns, keys);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TableDefinition)) {
            return false;
        }
        TableDefinition t = (TableDefinition) o;
        return database.equals(t.database)
                && Objects.equals(schema, t.schema)
                && table.equals(t.table)
                && columns.equals(t.columns)
                && keyColumns.equals(t.keyColumns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, schema, table, columns, keyColumns);
    }

    @Override
    public String toString() {
        return qualifiedName() + columns + " key " + keyColumns;
    }
}
