package dev.sluice.connectors.cdc.catalog;

import dev.sluice.connectors.cdc.schema.ColumnDefinition;
import dev.sluice.connectors.cdc.schema.TableDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * What {@code mysql-cdc} asks of a MySQL or MariaDB server, over plain JDBC and as the capture
 * user: reachable, credentials, the binary log on in ROW format with full row images, REPLICATION
 * SLAVE and REPLICATION CLIENT, the tables and their keys, SELECT on them. Also tells MariaDB from
 * MySQL by the server's version string, which decides the Debezium connector.
 */
public final class MySqlCatalog {

    private static final Set<String> SYSTEM_SCHEMAS =
            Set.of("mysql", "information_schema", "performance_schema", "sys");

    private MySqlCatalog() {}

    /** What the plan learned about the server. */
    public static final class Inspection {
        private final boolean mariaDb;
        private final String version;
        private final List<TableDefinition> tables;
        private final Map<String, Integer> entryOfTable;
        private final boolean canLock;
        private final String binlogFile;
        private final long binlogPosition;

        Inspection(
                boolean mariaDb,
                String version,
                List<TableDefinition> tables,
                Map<String, Integer> entryOfTable,
                boolean canLock,
                String binlogFile,
                long binlogPosition) {
            this.mariaDb = mariaDb;
            this.version = version;
            this.tables = List.copyOf(tables);
            this.entryOfTable = Map.copyOf(entryOfTable);
            this.canLock = canLock;
            this.binlogFile = binlogFile;
            this.binlogPosition = binlogPosition;
        }

        /**
         * The binlog file being written when the tables were inspected (read before their columns),
         * or empty when the server did not tell: changes at or after {@link #binlogPosition()} in
         * it were made with the columns inspected here or later ones.
         */
        public Optional<String> binlogFile() {
            return Optional.ofNullable(binlogFile);
        }

        /** The position in {@link #binlogFile()}. */
        public long binlogPosition() {
            return binlogPosition;
        }

        /**
         * Whether the user may take the global read lock (RELOAD) that makes the initial snapshot
         * exactly consistent with the binlog position it starts from.
         */
        public boolean canLock() {
            return canLock;
        }

        /** Whether the server is MariaDB (its version string says so). */
        public boolean mariaDb() {
            return mariaDb;
        }

        public String version() {
            return version;
        }

        /** The captured tables with their key columns, in {@code tables} order. */
        public List<TableDefinition> tables() {
            return tables;
        }

        /**
         * For each captured table ({@code database.table}), the {@code tables} entry selecting it.
         */
        public Map<String, Integer> entryOfTable() {
            return entryOfTable;
        }
    }

    /** Whether a {@code SELECT VERSION()} string is MariaDB's. */
    public static boolean isMariaDb(String version) {
        return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb");
    }

    /**
     * Connects as the capture user and checks everything capture needs.
     *
     * @throws CaptureProblem naming the config key at fault
     */
    public static Inspection inspect(
            ConnectionSettings settings,
            List<String> tableEntries,
            Map<String, List<String>> keys) {
        try (Connection c = connect(settings)) {
            return inspect(c, settings, tableEntries, keys);
        } catch (SQLException e) {
            throw new CaptureProblem(
                    "hostname",
                    "checking the server at " + settings.address() + " failed: " + e.getMessage(),
                    e);
        }
    }

    private static Inspection inspect(
            Connection c,
            ConnectionSettings settings,
            List<String> tableEntries,
            Map<String, List<String>> keys)
            throws SQLException {
        String version = single(c, "SELECT VERSION()");
        boolean mariaDb = isMariaDb(version);
        String[] binlog = binlogPosition(c);
        String product = mariaDb ? "MariaDB" : "MySQL";
        Map<String, String> vars = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin',"
                                        + " 'binlog_format', 'binlog_row_image')")) {
            while (rs.next()) {
                vars.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
        if (!"ON".equalsIgnoreCase(vars.getOrDefault("log_bin", "OFF"))) {
            throw new CaptureProblem(
                    "hostname",
                    product
                            + " at "
                            + settings.address()
                            + " has the binary log off (log_bin=OFF); change capture reads the"
                            + " binary log: start the server with log-bin, binlog_format=ROW and"
                            + " binlog_row_image=FULL");
        }
        String format = vars.getOrDefault("binlog_format", "?");
        if (!"ROW".equalsIgnoreCase(format)) {
            throw new CaptureProblem(
                    "hostname",
                    product
                            + " at "
                            + settings.address()
                            + " has binlog_format="
                            + format
                            + "; change capture needs binlog_format=ROW (SET GLOBAL binlog_format ="
                            + " 'ROW' or binlog-format=ROW in the server's configuration)");
        }
        String image = vars.getOrDefault("binlog_row_image", "FULL");
        if (!"FULL".equalsIgnoreCase(image)) {
            throw new CaptureProblem(
                    "hostname",
                    product
                            + " at "
                            + settings.address()
                            + " has binlog_row_image="
                            + image
                            + "; change capture needs binlog_row_image=FULL so that updates and"
                            + " deletes carry the whole row");
        }
        Set<String> privileges = checkPrivileges(c, settings);

        List<String> available = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                                        + " WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY"
                                        + " TABLE_SCHEMA, TABLE_NAME")) {
            while (rs.next()) {
                if (!SYSTEM_SCHEMAS.contains(rs.getString(1).toLowerCase(Locale.ROOT))) {
                    available.add(rs.getString(1) + "." + rs.getString(2));
                }
            }
        }
        Map<String, Integer> selected;
        try {
            selected = TableSelector.select(tableEntries, available, settings.database());
        } catch (CaptureProblem p) {
            if (!p.configPath().startsWith("tables/")) {
                throw p;
            }
            throw new CaptureProblem(
                    p.configPath(),
                    p.getMessage()
                            + " (a table is listed only if user '"
                            + settings.username()
                            + "' has a privilege on it)");
        }
        Map<String, List<String>> keyOverrides = resolveKeys(keys, selected.keySet(), settings);

        List<TableDefinition> tables = new ArrayList<>();
        for (Map.Entry<String, Integer> e : selected.entrySet()) {
            String[] parts = e.getKey().split("\\.", 2);
            String db = parts[0];
            String table = parts[1];
            checkSelect(c, settings, db, table);
            List<ColumnDefinition> columns = columns(c, db, table);
            List<String> key = keyOverrides.get(e.getKey());
            String keyPath = "keys/" + escape(e.getKey());
            if (key == null) {
                key = primaryKey(c, db, table);
                keyPath = "tables/" + e.getValue();
                if (key.isEmpty()) {
                    throw new CaptureProblem(
                            "tables/" + e.getValue(),
                            "table "
                                    + e.getKey()
                                    + " has no primary key; name the columns that identify a row"
                                    + " in keys, e.g. \"keys\": {\""
                                    + e.getKey()
                                    + "\": [\""
                                    + columns.get(0).name()
                                    + "\"]}");
                }
            }
            try {
                tables.add(new TableDefinition(db, null, table, columns, key));
            } catch (IllegalArgumentException ex) {
                throw new CaptureProblem(keyPath, ex.getMessage());
            }
        }
        return new Inspection(
                mariaDb,
                version,
                tables,
                selected,
                privileges.contains("RELOAD") || privileges.contains("SUPER"),
                binlog == null ? null : binlog[0],
                binlog == null ? -1L : Long.parseLong(binlog[1]));
    }

    /** The binlog file and position being written, or {@code null} when the server won't say. */
    private static String[] binlogPosition(Connection c) {
        for (String sql : List.of("SHOW MASTER STATUS", "SHOW BINARY LOG STATUS")) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(sql)) {
                if (rs.next() && rs.getString(1) != null) {
                    return new String[] {rs.getString(1), String.valueOf(rs.getLong(2))};
                }
                return null;
            } catch (SQLException e) {
                // MySQL 8.4 renamed the statement; try the other one
            }
        }
        return null;
    }

    private static Set<String> checkPrivileges(Connection c, ConnectionSettings settings)
            throws SQLException {
        Set<String> privileges = new HashSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES"
                                        + " WHERE GRANTEE = CONCAT('''',"
                                        + " SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',"
                                        + " SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')")) {
            while (rs.next()) {
                privileges.add(rs.getString(1).toUpperCase(Locale.ROOT));
            }
        }
        List<String> missing = new ArrayList<>();
        if (!privileges.contains("REPLICATION SLAVE") && !privileges.contains("SUPER")) {
            missing.add("REPLICATION SLAVE");
        }
        if (!privileges.contains("REPLICATION CLIENT")
                && !privileges.contains("BINLOG MONITOR")
                && !privileges.contains("SUPER")) {
            missing.add("REPLICATION CLIENT");
        }
        if (!missing.isEmpty()) {
            throw new CaptureProblem(
                    "username",
                    "user '"
                            + settings.username()
                            + "' lacks "
                            + String.join(" and ", missing)
                            + ", which reading the binary log needs: GRANT "
                            + String.join(", ", missing)
                            + " ON *.* TO '"
                            + settings.username()
                            + "'@'%'");
        }
        return privileges;
    }

    private static void checkSelect(
            Connection c, ConnectionSettings settings, String db, String table)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1 FROM " + quote(db) + "." + quote(table) + " LIMIT 0").close();
        } catch (SQLException e) {
            if (e.getErrorCode() == 1142 || e.getErrorCode() == 1143) {
                throw new CaptureProblem(
                        "username",
                        "user '"
                                + settings.username()
                                + "' cannot read "
                                + db
                                + "."
                                + table
                                + " (the initial snapshot selects from it): GRANT SELECT ON "
                                + quote(db)
                                + ".* TO '"
                                + settings.username()
                                + "'@'%'",
                        e);
            }
            throw e;
        }
    }

    private static Map<String, List<String>> resolveKeys(
            Map<String, List<String>> keys, Set<String> selected, ConnectionSettings settings) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : keys.entrySet()) {
            String name =
                    e.getKey().contains(".") ? e.getKey() : settings.database() + "." + e.getKey();
            String match = null;
            for (String table : selected) {
                if (table.equals(name) || (match == null && table.equalsIgnoreCase(name))) {
                    match = table;
                }
            }
            if (match == null) {
                throw new CaptureProblem(
                        "keys/" + escape(e.getKey()),
                        "keys names table '"
                                + e.getKey()
                                + "', which tables does not select; captured tables: "
                                + String.join(", ", selected));
            }
            if (e.getValue().isEmpty()) {
                throw new CaptureProblem(
                        "keys/" + escape(e.getKey()),
                        "keys/" + e.getKey() + " must name at least one column");
            }
            out.put(match, e.getValue());
        }
        return out;
    }

    private static List<ColumnDefinition> columns(Connection c, String db, String table)
            throws SQLException {
        List<ColumnDefinition> columns = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE,"
                                + " NUMERIC_PRECISION, NUMERIC_SCALE FROM"
                                + " information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND"
                                + " TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, db);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2).toLowerCase(Locale.ROOT);
                    String columnType = rs.getString(3).toLowerCase(Locale.ROOT);
                    Long precision = toLong(rs.getObject(5));
                    Long scale = toLong(rs.getObject(6));
                    boolean decimal =
                            type.equals("decimal")
                                    || type.equals("numeric")
                                    || type.equals("fixed");
                    columns.add(
                            ColumnDefinition.builder(rs.getString(1), type)
                                    .nullable("YES".equalsIgnoreCase(rs.getString(4)))
                                    .precision(
                                            decimal && precision != null
                                                    ? precision.intValue()
                                                    : null)
                                    .scale(decimal && scale != null ? scale.intValue() : null)
                                    .length(
                                            type.equals("bit") && precision != null
                                                    ? precision.intValue()
                                                    : null)
                                    .unsigned(columnType.contains("unsigned"))
                                    .build());
                }
            }
        }
        return columns;
    }

    private static Long toLong(Object o) {
        return o == null ? null : ((Number) o).longValue();
    }

    private static List<String> primaryKey(Connection c, String db, String table)
            throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE"
                                + " TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME ="
                                + " 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, db);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    /**
     * Connects as the capture user with short timeouts (MariaDB's driver, which speaks to MySQL
     * too).
     *
     * @throws CaptureProblem pointing at the host, the password or the database
     */
    public static Connection connect(ConnectionSettings settings) {
        Properties props = new Properties();
        props.setProperty("user", settings.username());
        props.setProperty("password", settings.password());
        props.setProperty(
                "connectTimeout",
                String.valueOf(ConnectionSettings.CONNECT_TIMEOUT_SECONDS * 1000));
        props.setProperty("socketTimeout", "60000");
        props.setProperty("permitMysqlScheme", "true");
        String url = "jdbc:mariadb://" + settings.hostname() + ":" + settings.port() + "/";
        try {
            Connection c = new org.mariadb.jdbc.Driver().connect(url, props);
            if (c == null) {
                throw new CaptureProblem("hostname", "the MariaDB driver refused " + url);
            }
            try (Statement s = c.createStatement()) {
                s.execute("USE " + quote(settings.database()));
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1044) {
                throw new CaptureProblem(
                        "database",
                        "user '"
                                + settings.username()
                                + "' may not use database '"
                                + settings.database()
                                + "' on the server at "
                                + settings.address()
                                + " (it does not exist, or the user has no privilege on it)",
                        e);
            }
            if (e.getErrorCode() == 1045) {
                throw new CaptureProblem(
                        "password",
                        "the server at "
                                + settings.address()
                                + " refused the login of '"
                                + settings.username()
                                + "': "
                                + e.getMessage(),
                        e);
            }
            if (e.getErrorCode() == 1049) {
                throw new CaptureProblem(
                        "database",
                        "database '"
                                + settings.database()
                                + "' does not exist on the server at "
                                + settings.address(),
                        e);
            }
            throw new CaptureProblem(
                    "hostname",
                    "cannot connect to the server at "
                            + settings.address()
                            + " (waited up to "
                            + ConnectionSettings.CONNECT_TIMEOUT_SECONDS
                            + " s): "
                            + e.getMessage(),
                    e);
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
