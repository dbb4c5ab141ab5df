package dev.sluice.connectors.jdbc;

import java.io.Serializable;
import java.util.List;

/** The target table as found at plan time: where it is, its columns and its primary key. */
public final class JdbcTable implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String schema;
    private final String name;
    private final List<JdbcColumn> columns;
    private final List<String> primaryKey;

    public JdbcTable(
            String schema, String name, List<JdbcColumn> columns, List<String> primaryKey) {
        this.schema = schema;
        this.name = name;
        this.columns = List.copyOf(columns);
        this.primaryKey = List.copyOf(primaryKey);
    }

    /** The schema (PostgreSQL) or database (MariaDB) holding the table. */
    public String schema() {
        return schema;
    }

    public String name() {
        return name;
    }

    /** Columns in table order. */
    public List<JdbcColumn> columns() {
        return columns;
    }

    /** Primary key columns in key order; empty when the table has none. */
    public List<String> primaryKey() {
        return primaryKey;
    }

    /** The column of this name, or {@code null}. */
    public JdbcColumn column(String name) {
        for (JdbcColumn c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return (schema == null ? "" : schema + ".") + name;
    }
}
