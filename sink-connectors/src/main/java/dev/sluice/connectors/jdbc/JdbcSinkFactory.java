package dev.sluice.connectors.jdbc;

import static dev.sluice.connectors.jdbc.JdbcSinkOptions.BATCH_SIZE;
import static dev.sluice.connectors.jdbc.JdbcSinkOptions.PASSWORD;
import static dev.sluice.connectors.jdbc.JdbcSinkOptions.TABLE;
import static dev.sluice.connectors.jdbc.JdbcSinkOptions.URL;
import static dev.sluice.connectors.jdbc.JdbcSinkOptions.USERNAME;

import dev.sluice.connectors.sink.AvroSchemas;
import dev.sluice.connectors.sink.ChangelogConvention;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.SinkFactory;
import dev.sluice.sdk.factory.TranslationContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The {@code jdbc} sink: upserts a pipeline's rows into an existing PostgreSQL or MariaDB/MySQL
 * table by its primary key, and deletes the rows that deletes and tombstones name. See the package
 * documentation for what is checked when a pipeline is planned.
 */
public final class JdbcSinkFactory implements SinkFactory {

    public static final String IDENTIFIER = "jdbc";

    private static final Duration PLAN_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PLAN_SOCKET_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&;]*");

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(URL, USERNAME, TABLE);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(PASSWORD, BATCH_SIZE);
    }

    @Override
    public PlannedSink plan(Context context) {
        NodeOptions options = context.options();
        String url = options.get(URL);
        JdbcDialect dialect = JdbcDialect.of(url);
        if (dialect == null) {
            throw new ConfigValidationException(
                    options.pointer(URL),
                    options.pointer(URL)
                            + ": '"
                            + mask(url)
                            + "' is not a supported JDBC URL; expected jdbc:postgresql://...,"
                            + " jdbc:mariadb://... or jdbc:mysql://...");
        }
        String tableOption = options.get(TABLE);
        if (!validTableName(tableOption)) {
            throw new ConfigValidationException(
                    options.pointer(TABLE),
                    options.pointer(TABLE)
                            + ": '"
                            + tableOption
                            + "' is not a table name; expected name or schema.name");
        }
        int batchSize = options.get(BATCH_SIZE);
        if (batchSize < 1) {
            throw new ConfigValidationException(
                    options.pointer(BATCH_SIZE),
                    options.pointer(BATCH_SIZE) + ": expected at least 1, got " + batchSize);
        }
        String username = options.get(USERNAME);
        String password = options.getOptional(PASSWORD).orElse(null);

        JdbcTable table;
        try (Connection c =
                dialect.connect(
                        url, username, password, PLAN_CONNECT_TIMEOUT, PLAN_SOCKET_TIMEOUT)) {
            table = JdbcTableInspector.inspect(c, dialect, tableOption);
        } catch (SQLException e) {
            throw connectionError(e, options, url, username, password);
        }
        StreamDescriptor input = context.input();
        String where = "table '" + (table == null ? tableOption : table) + "'";
        if (table == null) {
            throw new ConfigValidationException(
                    options.pointer(TABLE),
                    options.pointer(TABLE)
                            + ": "
                            + where
                            + " does not exist at "
                            + mask(url)
                            + "; the jdbc sink writes an existing table");
        }
        if (table.primaryKey().isEmpty()) {
            throw new ConfigValidationException(
                    options.pointer(TABLE),
                    options.pointer(TABLE)
                            + ": "
                            + where
                            + " has no primary key; the jdbc sink upserts and deletes by primary"
                            + " key");
        }
        Mapping mapping = map(input, table, options.pointer(TABLE), where);

        String qualified = dialect.qualified(table.schema(), table.name());
        List<String> columnNames = new ArrayList<>();
        mapping.columns.forEach(c -> columnNames.add(c.name()));
        JdbcUpsertSink sink =
                new JdbcUpsertSink(
                        dialect,
                        url,
                        username,
                        password,
                        table.toString(),
                        dialect.upsert(qualified, columnNames, table.primaryKey()),
                        dialect.delete(qualified, table.primaryKey()),
                        mapping.converter,
                        batchSize);
        return new Planned(context.nodeId(), input, mapping.converter, sink);
    }

    /** Whether {@code name} is {@code name} or {@code schema.name}. */
    static boolean validTableName(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2) {
            return false;
        }
        for (String p : parts) {
            if (p.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** Which fields feed which columns, checked against the table. */
    private static final class Mapping {
        final List<JdbcColumn> columns;
        final JdbcRowConverter converter;

        Mapping(List<JdbcColumn> columns, JdbcRowConverter converter) {
            this.columns = columns;
            this.converter = converter;
        }
    }

    private static Mapping map(
            StreamDescriptor input, JdbcTable table, String pointer, String where) {
        Schema schema = input.schema();
        List<String> fields = new ArrayList<>();
        List<JdbcColumn> columns = new ArrayList<>();
        List<String> fieldNames = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            if (ChangelogConvention.isMetadata(f.name())) {
                continue;
            }
            fieldNames.add(f.name());
            JdbcColumn column = columnFor(table, f.name());
            if (column == null || column.generated() || columns.contains(column)) {
                continue; // fields without a column are not written
            }
            boolean holds;
            try {
                holds = JdbcTypes.canHold(f.schema(), column);
            } catch (IllegalArgumentException e) {
                holds = false;
            }
            if (!holds) {
                throw new ConfigValidationException(
                        pointer,
                        pointer
                                + ": column '"
                                + column.name()
                                + "' ("
                                + column.describe()
                                + ") of "
                                + where
                                + " cannot hold field '"
                                + f.name()
                                + "' ("
                                + describe(f.schema())
                                + ") of input '"
                                + input.nodeId()
                                + "'");
            }
            fields.add(f.name());
            columns.add(column);
        }
        Set<String> fed = new HashSet<>();
        columns.forEach(c -> fed.add(c.name()));
        for (String key : table.primaryKey()) {
            if (!fed.contains(key)) {
                throw new ConfigValidationException(
                        pointer,
                        pointer
                                + ": primary key column '"
                                + key
                                + "' of "
                                + where
                                + " is fed by no field of input '"
                                + input.nodeId()
                                + "' (fields: "
                                + String.join(", ", fieldNames)
                                + ")");
            }
        }
        for (JdbcColumn c : table.columns()) {
            if (!fed.contains(c.name()) && !c.nullable() && !c.hasDefault() && !c.generated()) {
                throw new ConfigValidationException(
                        pointer,
                        pointer
                                + ": column '"
                                + c.name()
                                + "' of "
                                + where
                                + " is NOT NULL without a default, and no field of input '"
                                + input.nodeId()
                                + "' feeds it (fields: "
                                + String.join(", ", fieldNames)
                                + ")");
            }
        }
        int[] keyPositions = new int[table.primaryKey().size()];
        String[] keyFieldsInKey = new String[keyPositions.length];
        Schema keySchema = input.keySchema().orElse(null);
        for (int k = 0; k < keyPositions.length; k++) {
            String key = table.primaryKey().get(k);
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equals(key)) {
                    keyPositions[k] = i;
                }
            }
            if (keySchema != null) {
                keyFieldsInKey[k] = fieldFor(keySchema, key);
            }
        }
        return new Mapping(
                columns,
                new JdbcRowConverter(
                        schema, fields, columns, keyPositions, keyFieldsInKey, keySchema));
    }

    /** The column a field feeds: same name, else the one column whose name differs in case. */
    private static JdbcColumn columnFor(JdbcTable table, String field) {
        JdbcColumn exact = table.column(field);
        if (exact != null) {
            return exact;
        }
        JdbcColumn found = null;
        for (JdbcColumn c : table.columns()) {
            if (c.name().equalsIgnoreCase(field)) {
                if (found != null) {
                    return null; // ambiguous: write neither
                }
                found = c;
            }
        }
        return found;
    }

    private static String fieldFor(Schema keySchema, String column) {
        if (keySchema.getField(column) != null) {
            return column;
        }
        for (Schema.Field f : keySchema.getFields()) {
            if (f.name().equalsIgnoreCase(column)) {
                return f.name();
            }
        }
        return null;
    }

    private static String describe(Schema s) {
        try {
            Schema nonNull = AvroSchemas.nonNull(s);
            return AvroSchemas.describe(nonNull) + (AvroSchemas.isNullable(s) ? ", nullable" : "");
        } catch (IllegalArgumentException e) {
            return AvroSchemas.describe(s);
        }
    }

    private static ConfigValidationException connectionError(
            SQLException e, NodeOptions options, String url, String username, String password) {
        return connectionError(
                e, options.pointer(URL), options.pointer(USERNAME), url, username, password);
    }

    /**
     * A connection failure as the user can act on it: bad credentials at {@code usernamePointer}
     * (SQLState class 28), anything else (unreachable host, unknown database) at {@code
     * urlPointer}; the driver's message, never the password. Shared with the {@code jdbc} source.
     */
    static ConfigValidationException connectionError(
            SQLException e,
            String urlPointer,
            String usernamePointer,
            String url,
            String username,
            String password) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (password != null && !password.isEmpty()) {
            message = message.replace(password, "****");
        }
        String state = e.getSQLState();
        if (state != null && state.startsWith("28")) {
            return new ConfigValidationException(
                    usernamePointer,
                    usernamePointer
                            + ": cannot log in to "
                            + mask(url)
                            + " as '"
                            + username
                            + "': "
                            + message);
        }
        return new ConfigValidationException(
                urlPointer, urlPointer + ": cannot connect to " + mask(url) + ": " + message);
    }

    /** A URL fit for messages and logs: a {@code password=} parameter is masked. */
    static String mask(String url) {
        return PASSWORD_IN_URL.matcher(url).replaceAll("$1****");
    }

    /** A planned {@code jdbc} sink. */
    private static final class Planned implements PlannedSink {
        private final String nodeId;
        private final StreamDescriptor input;
        private final JdbcRowConverter converter;
        private final JdbcUpsertSink sink;

        Planned(
                String nodeId,
                StreamDescriptor input,
                JdbcRowConverter converter,
                JdbcUpsertSink sink) {
            this.nodeId = nodeId;
            this.input = input;
            this.converter = converter;
            this.sink = sink;
        }

        @Override
        public void translate(DataStream<SluiceRecord> stream, TranslationContext context) {
            DataStream<SluiceRecord> checked =
                    context.process(
                            stream,
                            new JdbcChangeFunction(nodeId, converter),
                            input.schema(),
                            "jdbc-changes");
            if (context.parallelism() > 1) {
                checked = checked.keyBy(new JdbcKeySelector(converter));
            }
            checked.sinkTo(sink)
                    .name(context.operatorName("jdbc:" + sink.tableName()))
                    .uid(context.uid("jdbc-writer"))
                    .setParallelism(context.parallelism());
        }
    }
}
