package dev.sluice.connectors.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the target table's columns and primary key from JDBC metadata. Names are looked up as
 * written, then lower-cased, then upper-cased, the way unquoted identifiers fold in the databases
 * Sluice writes.
 */
final class JdbcTableInspector {

    private JdbcTableInspector() {}

    /** The table, or {@code null} when it does not exist. */
    static JdbcTable inspect(Connection connection, JdbcDialect dialect, String tableOption)
            throws SQLException {
        int dot = tableOption.indexOf('.');
        String schema = dot < 0 ? null : tableOption.substring(0, dot);
        String table = dot < 0 ? tableOption : tableOption.substring(dot + 1);
        if (schema == null) {
            schema = dialect.defaultSchema(connection);
        }
        DatabaseMetaData meta = connection.getMetaData();
        for (String s : variants(schema)) {
            for (String t : variants(table)) {
                List<JdbcColumn> columns = columns(dialect, meta, s, t);
                if (!columns.isEmpty()) {
                    return new JdbcTable(s, t, columns, primaryKey(dialect, meta, s, t));
                }
            }
        }
        return null;
    }

    private static Set<String> variants(String name) {
        Set<String> out = new LinkedHashSet<>();
        if (name == null) {
            out.add(null);
            return out;
        }
        out.add(name);
        out.add(name.toLowerCase(Locale.ROOT));
        out.add(name.toUpperCase(Locale.ROOT));
        return out;
    }

    private static List<JdbcColumn> columns(
            JdbcDialect dialect, DatabaseMetaData meta, String schema, String table)
            throws SQLException {
        List<JdbcColumn> out = new ArrayList<>();
        try (ResultSet rs = dialect.columns(meta, schema, table)) {
            while (rs.next()) {
                // Metadata patterns treat _ and % as wildcards: keep exact matches only.
                if (!table.equals(rs.getString("TABLE_NAME"))) {
                    continue;
                }
                String def = rs.getString("COLUMN_DEF");
                String auto = rs.getString("IS_AUTOINCREMENT");
                String generated = rs.getString("IS_GENERATEDCOLUMN");
                out.add(
                        new JdbcColumn(
                                rs.getString("COLUMN_NAME"),
                                rs.getInt("DATA_TYPE"),
                                rs.getString("TYPE_NAME"),
                                rs.getInt("COLUMN_SIZE"),
                                rs.getInt("DECIMAL_DIGITS"),
                                rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                                (def != null && !"NULL".equalsIgnoreCase(def.trim()))
                                        || "YES".equalsIgnoreCase(auto),
                                "YES".equalsIgnoreCase(generated)));
            }
        }
        return out;
    }

    private static List<String> primaryKey(
            JdbcDialect dialect, DatabaseMetaData meta, String schema, String table)
            throws SQLException {
        Map<Integer, String> bySeq = new TreeMap<>();
        try (ResultSet rs = dialect.primaryKeys(meta, schema, table)) {
            while (rs.next()) {
                if (table.equals(rs.getString("TABLE_NAME"))) {
                    bySeq.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
        }
        return new ArrayList<>(bySeq.values());
    }
}
