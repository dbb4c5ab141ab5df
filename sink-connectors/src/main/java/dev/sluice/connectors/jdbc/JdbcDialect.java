package dev.sluice.connectors.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What differs between the databases the {@code jdbc} sink writes: the driver (instantiated
 * directly, so plugin class loaders need no {@code DriverManager} registration), timeouts,
 * identifier quoting, the upsert statement, and where the table's schema lives in JDBC metadata.
 */
public enum JdbcDialect {
    POSTGRES {
        @Override
        Driver driver() {
            return new org.postgresql.Driver();
        }

        @Override
        Properties properties(String user, String password, Duration connect, Duration socket) {
            Properties p = credentials(user, password);
            p.setProperty("connectTimeout", Long.toString(Math.max(1, connect.toSeconds())));
            p.setProperty("loginTimeout", Long.toString(Math.max(1, connect.toSeconds())));
            p.setProperty("socketTimeout", Long.toString(Math.max(1, socket.toSeconds())));
            p.setProperty("tcpKeepAlive", "true");
            p.setProperty("ApplicationName", "sluice");
            return p;
        }

        @Override
        public String quote(String identifier) {
            return '"' + identifier.replace("\"", "\"\"") + '"';
        }

        @Override
        String upsert(String table, List<String> columns, List<String> keys) {
            StringBuilder sql = insert(table, columns);
            sql.append(" ON CONFLICT (").append(list(keys)).append(')');
            List<String> others = nonKey(columns, keys);
            if (others.isEmpty()) {
                return sql.append(" DO NOTHING").toString();
            }
            sql.append(" DO UPDATE SET ");
            for (int i = 0; i < others.size(); i++) {
                String c = quote(others.get(i));
                sql.append(i == 0 ? "" : ", ").append(c).append(" = EXCLUDED.").append(c);
            }
            return sql.toString();
        }

        @Override
        String defaultSchema(Connection connection) throws SQLException {
            return connection.getSchema();
        }

        @Override
        ResultSet columns(DatabaseMetaData meta, String schema, String table) throws SQLException {
            return meta.getColumns(null, schema, table, null);
        }

        @Override
        ResultSet primaryKeys(DatabaseMetaData meta, String schema, String table)
                throws SQLException {
            return meta.getPrimaryKeys(null, schema, table);
        }
    },

    MARIADB {
        @Override
        Driver driver() {
            return new org.mariadb.jdbc.Driver();
        }

        @Override
        Properties properties(String user, String password, Duration connect, Duration socket) {
            Properties p = credentials(user, password);
            p.setProperty("connectTimeout", Long.toString(Math.max(1, connect.toMillis())));
            p.setProperty("socketTimeout", Long.toString(Math.max(1, socket.toMillis())));
            p.setProperty("tcpKeepAlive", "true");
            return p;
        }

        @Override
        public String quote(String identifier) {
            return '`' + identifier.replace("`", "``") + '`';
        }

        @Override
        String upsert(String table, List<String> columns, List<String> keys) {
            StringBuilder sql = insert(table, columns);
            sql.append(" ON DUPLICATE KEY UPDATE ");
            List<String> others = nonKey(columns, keys);
            if (others.isEmpty()) {
                // Nothing but the key: a no-op update keeps the statement idempotent.
                String k = quote(keys.get(0));
                return sql.append(k).append(" = ").append(k).toString();
            }
            for (int i = 0; i < others.size(); i++) {
                String c = quote(others.get(i));
                sql.append(i == 0 ? "" : ", ").append(c).append(" = VALUES(").append(c).append(')');
            }
            return sql.toString();
        }

        @Override
        String defaultSchema(Connection connection) throws SQLException {
            return connection.getCatalog();
        }

        @Override
        ResultSet columns(DatabaseMetaData meta, String schema, String table) throws SQLException {
            return meta.getColumns(schema, null, table, null);
        }

        @Override
        ResultSet primaryKeys(DatabaseMetaData meta, String schema, String table)
                throws SQLException {
            return meta.getPrimaryKeys(schema, null, table);
        }
    };

    /** The dialect of a JDBC URL, or {@code null} when Sluice does not write that database. */
    public static JdbcDialect of(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        return null;
    }

    /** The URL the driver takes: {@code jdbc:mysql:} is served by MariaDB's driver. */
    public String driverUrl(String url) {
        if (this == MARIADB && url.startsWith("jdbc:mysql:")) {
            return "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
        }
        return url;
    }

    /**
     * Connects with the given timeouts.
     *
     * @throws SQLException with the driver's message (it never contains the password)
     */
    public Connection connect(
            String url, String user, String password, Duration connect, Duration socket)
            throws SQLException {
        Connection c =
                driver().connect(driverUrl(url), properties(user, password, connect, socket));
        if (c == null) {
            throw new SQLException(
                    "the driver does not accept the URL " + JdbcSinkFactory.mask(url));
        }
        return c;
    }

    abstract Driver driver();

    abstract Properties properties(String user, String password, Duration connect, Duration socket);

    /** An identifier, quoted for this database. */
    public abstract String quote(String identifier);

    /** {@code schema.table}, quoted. */
    public String qualified(String schema, String table) {
        return schema == null ? quote(table) : quote(schema) + "." + quote(table);
    }

    /** The statement that inserts a row or replaces the row with its key. */
    abstract String upsert(String table, List<String> columns, List<String> keys);

    /** The statement that deletes the row of a key. */
    String delete(String table, List<String> keys) {
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(table).append(" WHERE ");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : " AND ").append(quote(keys.get(i))).append(" = ?");
        }
        return sql.toString();
    }

    /** The schema (PostgreSQL) or database (MariaDB) unqualified names resolve to. */
    abstract String defaultSchema(Connection connection) throws SQLException;

    abstract ResultSet columns(DatabaseMetaData meta, String schema, String table)
            throws SQLException;

    abstract ResultSet primaryKeys(DatabaseMetaData meta, String schema, String table)
            throws SQLException;

    StringBuilder insert(String table, List<String> columns) {
        StringBuilder sql =
                new StringBuilder("INSERT INTO ")
                        .append(table)
                        .append(" (")
                        .append(list(columns))
                        .append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        return sql.append(')');
    }

    String list(List<String> columns) {
        StringBuilder sb = new StringBuilder();
        for (String c : columns) {
            sb.append(sb.length() == 0 ? "" : ", ").append(quote(c));
        }
        return sb.toString();
    }

    static List<String> nonKey(List<String> columns, List<String> keys) {
        List<String> out = new ArrayList<>();
        for (String c : columns) {
            if (!keys.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    static Properties credentials(String user, String password) {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }
}
