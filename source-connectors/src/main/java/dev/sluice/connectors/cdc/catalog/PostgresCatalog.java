package dev.sluice.connectors.cdc.catalog;

import dev.sluice.connectors.cdc.schema.ColumnDefinition;
import dev.sluice.connectors.cdc.schema.TableDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code postgres-cdc} asks of a PostgreSQL database, over plain JDBC and as the capture role:
 * the plan-time checks (reachable, credentials, {@code wal_level}, REPLICATION, the tables, their
 * keys and privileges), the provisioning Sluice does itself ({@code REPLICA IDENTITY FULL}, the
 * publication) and the clean-up when a pipeline is deleted (the replication slot, the publication).
 *
 * <p>Every check answers with a {@link CaptureProblem} naming the config key at fault and what to
 * change, so a user gets a 400 at apply time instead of a job that fails later.
 */
public final class PostgresCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCatalog.class);

    /** The schema of table entries without one. */
    public static final String DEFAULT_SCHEMA = "public";

    private PostgresCatalog() {}

    /** What the plan learned about the database. */
    public static final class Inspection {
        private final List<TableDefinition> tables;
        private final Map<String, Integer> entryOfTable;
        private final boolean publicationExists;
        private final String serverVersion;
        private final Long walPosition;

        Inspection(
                List<TableDefinition> tables,
                Map<String, Integer> entryOfTable,
                boolean publicationExists,
                String serverVersion,
                Long walPosition) {
            this.tables = List.copyOf(tables);
            this.entryOfTable = Map.copyOf(entryOfTable);
            this.publicationExists = publicationExists;
            this.serverVersion = serverVersion;
            this.walPosition = walPosition;
        }

        /**
         * The WAL position ({@code pg_current_wal_insert_lsn()}) read before the tables' columns,
         * or empty when the server could not tell (a standby): changes at or after it were made
         * with the columns inspected here or later ones.
         */
        public OptionalLong walPosition() {
            return walPosition == null ? OptionalLong.empty() : OptionalLong.of(walPosition);
        }

        /** The captured tables, with their key columns, in {@code tables} order. */
        public List<TableDefinition> tables() {
            return tables;
        }

        /**
         * For each captured table ({@code schema.table}), the {@code tables} entry selecting it.
         */
        public Map<String, Integer> entryOfTable() {
            return entryOfTable;
        }

        public boolean publicationExists() {
            return publicationExists;
        }

        public String serverVersion() {
            return serverVersion;
        }
    }

    /**
     * Connects as the capture role and checks everything capture needs.
     *
     * @param tableEntries the {@code tables} config
     * @param keys the {@code keys} config: key columns per {@code schema.table}
     * @throws CaptureProblem naming the config key at fault
     */
    public static Inspection inspect(
            ConnectionSettings settings,
            List<String> tableEntries,
            Map<String, List<String>> keys,
            String slotName,
            String publicationName) {
        try (Connection c = connect(settings)) {
            return inspect(c, settings, tableEntries, keys, slotName, publicationName);
        } catch (SQLException e) {
            throw new CaptureProblem(
                    "hostname",
                    "checking PostgreSQL at " + settings.address() + " failed: " + e.getMessage(),
                    e);
        }
    }

    private static Inspection inspect(
            Connection c,
            ConnectionSettings settings,
            List<String> tableEntries,
            Map<String, List<String>> keys,
            String slotName,
            String publicationName)
            throws SQLException {
        String version = single(c, "SHOW server_version");
        Long walPosition = walPosition(c);
        String walLevel = single(c, "SHOW wal_level");
        if (!"logical".equals(walLevel)) {
            throw new CaptureProblem(
                    "hostname",
                    "PostgreSQL at "
                            + settings.address()
                            + " has wal_level="
                            + walLevel
                            + "; change capture needs wal_level=logical (ALTER SYSTEM SET"
                            + " wal_level = logical; then restart the server)");
        }
        boolean superuser;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT rolreplication, rolsuper FROM pg_roles WHERE rolname ="
                                + " current_user")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean replication = rs.getBoolean(1);
                superuser = rs.getBoolean(2);
                if (!replication && !superuser) {
                    throw new CaptureProblem(
                            "username",
                            "role '"
                                    + settings.username()
                                    + "' lacks the REPLICATION attribute that logical replication"
                                    + " needs (ALTER ROLE \""
                                    + settings.username()
                                    + "\" WITH REPLICATION)");
                }
            }
        }

        Map<String, TableFacts> all = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT c.oid, n.nspname, c.relname, c.relreplident,"
                                        + " pg_get_userbyid(c.relowner),"
                                        + " pg_has_role(c.relowner, 'USAGE'),"
                                        + " has_table_privilege(c.oid, 'SELECT')"
                                        + " FROM pg_class c JOIN pg_namespace n ON n.oid ="
                                        + " c.relnamespace WHERE c.relkind = 'r' AND n.nspname"
                                        + " NOT IN ('pg_catalog', 'information_schema') AND"
                                        + " n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT"
                                        + " LIKE 'pg\\_temp%' ORDER BY n.nspname, c.relname")) {
            while (rs.next()) {
                TableFacts t = new TableFacts();
                t.oid = rs.getLong(1);
                t.schema = rs.getString(2);
                t.table = rs.getString(3);
                t.replicaIdentity = rs.getString(4);
                t.owner = rs.getString(5);
                t.owned = rs.getBoolean(6) || superuser;
                t.canSelect = rs.getBoolean(7);
                all.put(t.schema + "." + t.table, t);
            }
        }
        Map<String, Integer> selected =
                TableSelector.select(tableEntries, new ArrayList<>(all.keySet()), DEFAULT_SCHEMA);
        Map<String, List<String>> keyOverrides = resolveKeys(keys, selected.keySet());

        List<TableDefinition> tables = new ArrayList<>();
        for (Map.Entry<String, Integer> e : selected.entrySet()) {
            TableFacts t = all.get(e.getKey());
            String entry = "tables/" + e.getValue();
            if (!t.canSelect) {
                throw new CaptureProblem(
                        "username",
                        "role '"
                                + settings.username()
                                + "' cannot read "
                                + e.getKey()
                                + " (the initial snapshot selects from it): GRANT SELECT ON "
                                + quoted(t)
                                + " TO \""
                                + settings.username()
                                + "\"");
            }
            if (!"f".equals(t.replicaIdentity) && !t.owned) {
                throw new CaptureProblem(
                        "username",
                        "Sluice sets REPLICA IDENTITY FULL on captured tables so that updates and"
                                + " deletes carry the whole row, which needs ownership of "
                                + e.getKey()
                                + " (owner: "
                                + t.owner
                                + "); make '"
                                + settings.username()
                                + "' its owner, or run ALTER TABLE "
                                + quoted(t)
                                + " REPLICA IDENTITY FULL as the owner");
            }
            List<ColumnDefinition> columns = columns(c, t);
            List<String> key = keyOverrides.get(e.getKey());
            String keyPath = "keys/" + escape(e.getKey());
            if (key == null) {
                key = primaryKey(c, t);
                keyPath = entry;
                if (key.isEmpty()) {
                    throw new CaptureProblem(
                            entry,
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
                tables.add(
                        new TableDefinition(settings.database(), t.schema, t.table, columns, key));
            } catch (IllegalArgumentException ex) {
                throw new CaptureProblem(keyPath, ex.getMessage());
            }
        }

        boolean publicationExists =
                checkPublication(c, settings, publicationName, all, selected, superuser);
        checkSlot(c, settings, slotName);
        return new Inspection(tables, selected, publicationExists, version, walPosition);
    }

    private static boolean checkPublication(
            Connection c,
            ConnectionSettings settings,
            String publication,
            Map<String, TableFacts> all,
            Map<String, Integer> selected,
            boolean superuser)
            throws SQLException {
        Boolean allTables = null;
        boolean ownsPublication = false;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT puballtables, pg_has_role(pubowner, 'USAGE') FROM pg_publication"
                                + " WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    allTables = rs.getBoolean(1);
                    ownsPublication = rs.getBoolean(2) || superuser;
                }
            }
        }
        List<String> notOwned = new ArrayList<>();
        for (String table : selected.keySet()) {
            if (!all.get(table).owned) {
                notOwned.add(table);
            }
        }
        if (allTables == null) {
            boolean canCreate;
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT has_database_privilege(current_database(), 'CREATE')")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    canCreate = rs.getBoolean(1) || superuser;
                }
            }
            if (!canCreate || !notOwned.isEmpty()) {
                throw new CaptureProblem(
                        "username",
                        "publication '"
                                + publication
                                + "' does not exist and role '"
                                + settings.username()
                                + "' cannot create it ("
                                + (!canCreate
                                        ? "CREATE on database "
                                                + settings.database()
                                                + " is missing"
                                        : "it does not own " + String.join(", ", notOwned))
                                + "); GRANT CREATE ON DATABASE \""
                                + settings.database()
                                + "\" TO \""
                                + settings.username()
                                + "\" and make it the owner of the captured tables, or create the"
                                + " publication FOR TABLE "
                                + String.join(", ", selected.keySet())
                                + " and name it in publication.name");
            }
            return false;
        }
        if (allTables) {
            return true;
        }
        Set<String> published = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname ="
                                + " ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    published.add(rs.getString(1) + "." + rs.getString(2));
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String table : selected.keySet()) {
            if (!published.contains(table)) {
                missing.add(table);
            }
        }
        if (!missing.isEmpty() && (!ownsPublication || !notOwned.isEmpty())) {
            throw new CaptureProblem(
                    "username",
                    "publication '"
                            + publication
                            + "' does not cover "
                            + String.join(", ", missing)
                            + " and role '"
                            + settings.username()
                            + "' cannot add them (it must own the publication and the tables);"
                            + " ALTER PUBLICATION \""
                            + publication
                            + "\" ADD TABLE "
                            + String.join(", ", missing)
                            + " as its owner");
        }
        return true;
    }

    private static void checkSlot(Connection c, ConnectionSettings settings, String slotName)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT plugin, database FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slotName);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String plugin = rs.getString(1);
                    String database = rs.getString(2);
                    if (!"pgoutput".equals(plugin) || !settings.database().equals(database)) {
                        throw new CaptureProblem(
                                "slot.name",
                                "replication slot '"
                                        + slotName
                                        + "' already exists for "
                                        + (database == null
                                                ? "a physical replica"
                                                : "database " + database)
                                        + " with plugin "
                                        + plugin
                                        + "; choose another slot.name (capture needs a pgoutput"
                                        + " slot on database "
                                        + settings.database()
                                        + ")");
                    }
                }
            }
        }
    }

    private static Map<String, List<String>> resolveKeys(
            Map<String, List<String>> keys, Set<String> selected) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : keys.entrySet()) {
            String name = e.getKey().contains(".") ? e.getKey() : DEFAULT_SCHEMA + "." + e.getKey();
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

    private static List<ColumnDefinition> columns(Connection c, TableFacts t) throws SQLException {
        List<ColumnDefinition> columns = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT c.column_name, c.is_nullable, c.udt_name, c.numeric_precision,"
                                + " c.numeric_scale, c.character_maximum_length, t.typtype FROM"
                                + " information_schema.columns c LEFT JOIN pg_catalog.pg_namespace"
                                + " tn ON tn.nspname = c.udt_schema LEFT JOIN pg_catalog.pg_type t"
                                + " ON t.typname = c.udt_name AND t.typnamespace = tn.oid WHERE"
                                + " c.table_schema = ? AND c.table_name = ? ORDER BY"
                                + " c.ordinal_position")) {
            ps.setString(1, t.schema);
            ps.setString(2, t.table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(3);
                    boolean numeric = "numeric".equals(type);
                    columns.add(
                            ColumnDefinition.builder(rs.getString(1), type)
                                    .nullable("YES".equals(rs.getString(2)))
                                    .precision(numeric ? (Integer) rs.getObject(4) : null)
                                    .scale(numeric ? (Integer) rs.getObject(5) : null)
                                    .length((Integer) rs.getObject(6))
                                    .enumType("e".equals(rs.getString(7)))
                                    .build());
                }
            }
        }
        return columns;
    }

    private static List<String> primaryKey(Connection c, TableFacts t) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid ="
                                + " i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid ="
                                + " ?::oid AND i.indisprimary ORDER BY"
                                + " array_position(i.indkey::int2[], a.attnum)")) {
            ps.setLong(1, t.oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    /**
     * Provisioning: sets {@code REPLICA IDENTITY FULL} on the captured tables that lack it and
     * makes the publication cover them (created {@code FOR TABLE} the captured tables when it does
     * not exist, tables added when some are missing). Idempotent.
     */
    public static void prepare(
            ConnectionSettings settings, List<TableDefinition> tables, String publication) {
        try (Connection c = connect(settings)) {
            c.setAutoCommit(true);
            for (TableDefinition t : tables) {
                String identity;
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT c.relreplident FROM pg_class c JOIN pg_namespace n ON"
                                        + " n.oid = c.relnamespace WHERE n.nspname = ? AND"
                                        + " c.relname = ?")) {
                    ps.setString(1, t.schema().orElseThrow());
                    ps.setString(2, t.table());
                    try (ResultSet rs = ps.executeQuery()) {
                        identity = rs.next() ? rs.getString(1) : null;
                    }
                }
                if (identity == null) {
                    throw new IllegalStateException(
                            "table " + t.qualifiedName() + " no longer exists");
                }
                if (!"f".equals(identity)) {
                    execute(c, "ALTER TABLE " + quoted(t) + " REPLICA IDENTITY FULL");
                }
            }
            Set<String> published = null;
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
                ps.setString(1, publication);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        if (rs.getBoolean(1)) {
                            return;
                        }
                        published = new HashSet<>();
                    }
                }
            }
            if (published == null) {
                List<String> names = new ArrayList<>();
                tables.forEach(t -> names.add(quoted(t)));
                execute(
                        c,
                        "CREATE PUBLICATION "
                                + quote(publication)
                                + " FOR TABLE "
                                + String.join(", ", names));
                return;
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT schemaname, tablename FROM pg_publication_tables WHERE"
                                    + " pubname = ?")) {
                ps.setString(1, publication);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        published.add(rs.getString(1) + "." + rs.getString(2));
                    }
                }
            }
            List<String> missing = new ArrayList<>();
            for (TableDefinition t : tables) {
                if (!published.contains(t.qualifiedName())) {
                    missing.add(quoted(t));
                }
            }
            if (!missing.isEmpty()) {
                execute(
                        c,
                        "ALTER PUBLICATION "
                                + quote(publication)
                                + " ADD TABLE "
                                + String.join(", ", missing));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "preparing PostgreSQL at "
                            + settings.address()
                            + " for capture failed: "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Drops the replication slot, waiting up to {@code wait} for a capture that is still shutting
     * down to release it (and then ending that session). A slot that does not exist is fine.
     *
     * @return whether a slot was dropped
     */
    public static boolean dropSlot(ConnectionSettings settings, String slotName, Duration wait) {
        try (Connection c = connect(settings)) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                Integer activePid = null;
                boolean exists = false;
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT active, active_pid FROM pg_replication_slots WHERE"
                                        + " slot_name = ?")) {
                    ps.setString(1, slotName);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            exists = true;
                            activePid = rs.getBoolean(1) ? rs.getInt(2) : null;
                        }
                    }
                }
                if (!exists) {
                    return false;
                }
                if (activePid != null) {
                    if (System.nanoTime() < deadline) {
                        pause(Duration.ofMillis(200));
                        continue;
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                        ps.setInt(1, activePid);
                        ps.execute();
                    }
                    pause(Duration.ofMillis(500));
                }
                try (PreparedStatement ps =
                        c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    ps.setString(1, slotName);
                    ps.execute();
                    LOG.info("dropped replication slot {} on {}", slotName, settings.address());
                    return true;
                } catch (SQLException e) {
                    if ("42704".equals(e.getSQLState())) {
                        return false;
                    }
                    if ("55006".equals(e.getSQLState()) && System.nanoTime() < deadline) {
                        continue; // still active: retry until the deadline
                    }
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "dropping replication slot '"
                            + slotName
                            + "' on "
                            + settings.address()
                            + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    /** Drops the publication if it exists. */
    public static void dropPublication(ConnectionSettings settings, String publication) {
        try (Connection c = connect(settings)) {
            execute(c, "DROP PUBLICATION IF EXISTS " + quote(publication));
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "dropping publication '"
                            + publication
                            + "' on "
                            + settings.address()
                            + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Connects as the capture role with short timeouts.
     *
     * @throws CaptureProblem pointing at the host, the password or the database
     */
    public static Connection connect(ConnectionSettings settings) {
        Properties props = new Properties();
        props.setProperty("user", settings.username());
        props.setProperty("password", settings.password());
        props.setProperty(
                "connectTimeout", String.valueOf(ConnectionSettings.CONNECT_TIMEOUT_SECONDS));
        props.setProperty(
                "loginTimeout", String.valueOf(ConnectionSettings.CONNECT_TIMEOUT_SECONDS));
        props.setProperty("socketTimeout", "60");
        props.setProperty("ApplicationName", "sluice-cdc");
        String url =
                "jdbc:postgresql://"
                        + settings.hostname()
                        + ":"
                        + settings.port()
                        + "/"
                        + settings.database();
        try {
            Connection c = new org.postgresql.Driver().connect(url, props);
            if (c == null) {
                throw new CaptureProblem("hostname", "the PostgreSQL driver refused " + url);
            }
            return c;
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("28")) {
                throw new CaptureProblem(
                        "password",
                        "PostgreSQL at "
                                + settings.address()
                                + " refused the login of '"
                                + settings.username()
                                + "': "
                                + e.getMessage(),
                        e);
            }
            if ("3D000".equals(state)) {
                throw new CaptureProblem(
                        "database",
                        "database '"
                                + settings.database()
                                + "' does not exist on PostgreSQL at "
                                + settings.address(),
                        e);
            }
            throw new CaptureProblem(
                    "hostname",
                    "cannot connect to PostgreSQL at "
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

    /** The current WAL position, or {@code null} when the server cannot tell (in recovery). */
    private static Long walPosition(Connection c) {
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")) {
            return rs.next() ? rs.getLong(1) : null;
        } catch (SQLException e) {
            LOG.info("the current WAL position is unknown: {}", e.getMessage());
            return null;
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            LOG.info("executing: {}", sql);
            s.execute(sql);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A quoted identifier. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String quoted(TableDefinition t) {
        return quote(t.schema().orElseThrow()) + "." + quote(t.table());
    }

    private static String quoted(TableFacts t) {
        return quote(t.schema) + "." + quote(t.table);
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static final class TableFacts {
        long oid;
        String schema;
        String table;
        String replicaIdentity;
        String owner;
        boolean owned;
        boolean canSelect;
    }
}
