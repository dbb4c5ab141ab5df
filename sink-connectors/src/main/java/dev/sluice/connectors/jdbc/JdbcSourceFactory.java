package dev.sluice.connectors.jdbc;

import static dev.sluice.connectors.jdbc.JdbcSourceOptions.FETCH_SIZE;
import static dev.sluice.connectors.jdbc.JdbcSourceOptions.PASSWORD;
import static dev.sluice.connectors.jdbc.JdbcSourceOptions.QUERY;
import static dev.sluice.connectors.jdbc.JdbcSourceOptions.SPLIT_COLUMN;
import static dev.sluice.connectors.jdbc.JdbcSourceOptions.TABLE;
import static dev.sluice.connectors.jdbc.JdbcSourceOptions.URL;
import static dev.sluice.connectors.jdbc.JdbcSourceOptions.USERNAME;

import dev.sluice.connectors.sink.AvroSchemas;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.NodeContext;
import dev.sluice.sdk.factory.SourceFactory;
import dev.sluice.sdk.factory.TranslationContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * The {@code jdbc} batch source: the rows of a PostgreSQL or MariaDB/MySQL table, view or query,
 * read once per run of a batch pipeline, optionally in parallel ranges of a numeric column. The
 * schema is derived from the database's metadata when the pipeline is planned. See the package
 * documentation for the options, the type mapping and what is refused.
 */
public final class JdbcSourceFactory implements SourceFactory {

    public static final String IDENTIFIER = "jdbc";

    /** Field property holding the column name when the field name had to differ from it. */
    public static final String COLUMN_PROPERTY = "sluice.column";

    private static final Duration PLAN_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PLAN_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    private static final int PLAN_QUERY_TIMEOUT_SECONDS = 30;

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(URL, USERNAME);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(PASSWORD, TABLE, QUERY, SPLIT_COLUMN, FETCH_SIZE);
    }

    @Override
    public PlannedSource plan(NodeContext context) {
        NodeOptions options = context.options();
        if (!context.bounded()) {
            throw new ConfigValidationException(
                    options.pointer(),
                    options.pointer()
                            + ": the jdbc source is a batch source: it reads its table or query"
                            + " once and ends, so it runs in pipelines with \"mode\": \"batch\";"
                            + " to stream a table's changes use postgres-cdc or mysql-cdc");
        }
        String url = options.get(URL);
        JdbcDialect dialect = JdbcDialect.of(url);
        if (dialect == null) {
            throw new ConfigValidationException(
                    options.pointer(URL),
                    options.pointer(URL)
                            + ": '"
                            + JdbcSinkFactory.mask(url)
                            + "' is not a supported JDBC URL; expected jdbc:postgresql://...,"
                            + " jdbc:mariadb://... or jdbc:mysql://...");
        }
        boolean hasTable = options.contains(TABLE);
        boolean hasQuery = options.contains(QUERY);
        if (hasTable == hasQuery) {
            throw new ConfigValidationException(
                    options.pointer(),
                    options.pointer()
                            + (hasTable
                                    ? ": set either 'table' or 'query', not both"
                                    : ": set 'table' (a table or view to read) or 'query' (a"
                                            + " SELECT whose rows are read)"));
        }
        ConfigOption<String> readOption = hasTable ? TABLE : QUERY;
        String readPointer = options.pointer(readOption);
        String tableOption = null;
        String query = null;
        if (hasTable) {
            tableOption = options.get(TABLE);
            if (!JdbcSinkFactory.validTableName(tableOption)) {
                throw new ConfigValidationException(
                        readPointer,
                        readPointer
                                + ": '"
                                + tableOption
                                + "' is not a table name; expected name or schema.name");
            }
        } else {
            query = trimQuery(options.get(QUERY));
            if (query.isEmpty()) {
                throw new ConfigValidationException(
                        readPointer, readPointer + ": expected a SELECT statement, got nothing");
            }
        }
        int fetchSize = options.get(FETCH_SIZE);
        if (fetchSize < 1) {
            throw new ConfigValidationException(
                    options.pointer(FETCH_SIZE),
                    options.pointer(FETCH_SIZE) + ": expected at least 1, got " + fetchSize);
        }
        String username = options.get(USERNAME);
        String password = options.getOptional(PASSWORD).orElse(null);

        JdbcQuery read;
        String what;
        List<JdbcSourceColumn> columns;
        try (Connection c =
                dialect.connect(
                        url, username, password, PLAN_CONNECT_TIMEOUT, PLAN_SOCKET_TIMEOUT)) {
            if (hasTable) {
                JdbcTable table = JdbcTableInspector.inspect(c, dialect, tableOption);
                if (table == null) {
                    throw new ConfigValidationException(
                            readPointer,
                            readPointer
                                    + ": table '"
                                    + tableOption
                                    + "' does not exist at "
                                    + JdbcSinkFactory.mask(url));
                }
                read = JdbcQuery.ofTable(dialect.qualified(table.schema(), table.name()));
                what = "table '" + table + "'";
            } else {
                read = JdbcQuery.ofQuery(query);
                what = "the query";
            }
            columns = probe(c, dialect, read, readPointer, what, url, password);
        } catch (SQLException e) {
            throw JdbcSinkFactory.connectionError(
                    e, options.pointer(URL), options.pointer(USERNAME), url, username, password);
        }
        Schema schema = schema(context, columns, readPointer, what);
        read = read.selecting(dialect, columns);
        if (options.contains(SPLIT_COLUMN)) {
            read = read.splitBy(dialect, splitColumn(options, columns, what));
        }
        return new Planned(
                context.nodeId(),
                dialect,
                url,
                username,
                password,
                what,
                read,
                columns,
                fetchSize,
                new StreamDescriptor(context.nodeId(), schema, StreamKind.APPEND));
    }

    /** The query as it goes into a subquery: no trailing semicolons or blanks. */
    static String trimQuery(String query) {
        String q = query.strip();
        while (q.endsWith(";")) {
            q = q.substring(0, q.length() - 1).strip();
        }
        return q;
    }

    /** The result's columns, from the metadata of a statement that returns no row. */
    private static List<JdbcSourceColumn> probe(
            Connection c,
            JdbcDialect dialect,
            JdbcQuery read,
            String pointer,
            String what,
            String url,
            String password)
            throws SQLException {
        List<JdbcSourceColumn> columns = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(PLAN_QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = s.executeQuery(read.probe())) {
                ResultSetMetaData meta = rs.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(JdbcSourceColumn.of(meta, i, dialect));
                }
            }
        } catch (SQLException e) {
            if (c.isClosed() || !c.isValid(2)) {
                throw e; // the connection broke: not the query's fault
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (password != null && !password.isEmpty()) {
                message = message.replace(password, "****");
            }
            throw new ConfigValidationException(
                    pointer,
                    pointer
                            + ": cannot read "
                            + what
                            + " at "
                            + JdbcSinkFactory.mask(url)
                            + ": "
                            + message,
                    e);
        }
        return columns;
    }

    /**
     * The value schema: record {@code Value} in namespace {@code <pipeline>.<node>}, a field per
     * column in result order (names made valid Avro names, the column's own name then in property
     * {@value #COLUMN_PROPERTY}); nullable columns are {@code ["null", T]} with default null.
     */
    private static Schema schema(
            NodeContext context, List<JdbcSourceColumn> columns, String pointer, String what) {
        List<Schema.Field> fields = new ArrayList<>();
        Map<String, String> labels = new HashMap<>();
        for (JdbcSourceColumn column : columns) {
            String name = AvroSchemas.avroName(column.label());
            String taken = labels.putIfAbsent(name, column.label());
            if (taken != null) {
                throw new ConfigValidationException(
                        pointer,
                        pointer
                                + ": "
                                + (taken.equals(column.label())
                                        ? "the result of " + what + " has two columns named '"
                                        : "columns '" + taken + "' and '")
                                + column.label()
                                + "'"
                                + (taken.equals(column.label())
                                        ? ""
                                        : " of " + what + " both become field '" + name + "'")
                                + "; field names must be unique: give the columns distinct"
                                + " aliases in a query");
            }
            Schema type = column.avroType();
            Schema.Field field =
                    column.nullable()
                            ? new Schema.Field(
                                    name,
                                    Schema.createUnion(Schema.create(Schema.Type.NULL), type),
                                    null,
                                    JsonProperties.NULL_VALUE)
                            : new Schema.Field(name, type);
            if (!name.equals(column.label())) {
                field.addProp(COLUMN_PROPERTY, column.label());
            }
            fields.add(field);
        }
        return Schema.createRecord(
                "Value",
                null,
                AvroSchemas.avroNamespace(context.pipelineName() + "." + context.nodeId()),
                false,
                fields);
    }

    private static JdbcSourceColumn splitColumn(
            NodeOptions options, List<JdbcSourceColumn> columns, String what) {
        String wanted = options.get(SPLIT_COLUMN);
        String pointer = options.pointer(SPLIT_COLUMN);
        JdbcSourceColumn found = null;
        for (JdbcSourceColumn c : columns) {
            if (c.label().equals(wanted)) {
                found = c;
            }
        }
        if (found == null) {
            for (JdbcSourceColumn c : columns) {
                if (c.label().equalsIgnoreCase(wanted)) {
                    found = found == null ? c : null;
                }
            }
        }
        if (found == null) {
            List<String> names = new ArrayList<>();
            columns.forEach(c -> names.add(c.label()));
            throw new ConfigValidationException(
                    pointer,
                    pointer
                            + ": '"
                            + wanted
                            + "' is not a column of "
                            + what
                            + "; its columns: "
                            + String.join(", ", names));
        }
        if (!found.isNumeric()) {
            throw new ConfigValidationException(
                    pointer,
                    pointer
                            + ": column '"
                            + found.label()
                            + "' is "
                            + found.typeName()
                            + "; the split column must be numeric (an integer, numeric/decimal,"
                            + " real or double column)");
        }
        return found;
    }

    /** A planned {@code jdbc} source. */
    private static final class Planned implements PlannedSource {
        private final String nodeId;
        private final JdbcDialect dialect;
        private final String url;
        private final String username;
        private final String password;
        private final String what;
        private final JdbcQuery read;
        private final List<JdbcSourceColumn> columns;
        private final int fetchSize;
        private final StreamDescriptor output;

        Planned(
                String nodeId,
                JdbcDialect dialect,
                String url,
                String username,
                String password,
                String what,
                JdbcQuery read,
                List<JdbcSourceColumn> columns,
                int fetchSize,
                StreamDescriptor output) {
            this.nodeId = nodeId;
            this.dialect = dialect;
            this.url = url;
            this.username = username;
            this.password = password;
            this.what = what;
            this.read = read;
            this.columns = List.copyOf(columns);
            this.fetchSize = fetchSize;
            this.output = output;
        }

        @Override
        public StreamDescriptor output() {
            return output;
        }

        /**
         * A bounded source with stable uids {@code jdbc-source} and {@code jdbc-records}: with a
         * split column at the pipeline's parallelism (one range per reader), otherwise one reader
         * (one query cannot be read in parallel; downstream operators get the rows rebalanced).
         */
        @Override
        public DataStream<SluiceRecord> translate(
                StreamExecutionEnvironment env, TranslationContext context) {
            int parallelism = read.isSplit() ? context.parallelism() : 1;
            JdbcReadSpec spec =
                    new JdbcReadSpec(
                            nodeId,
                            dialect,
                            url,
                            username,
                            password,
                            what,
                            read,
                            columns,
                            output.schema().toString(),
                            fetchSize,
                            parallelism);
            TypeInformation<SluiceRecord> type = context.recordType(output.schema());
            TypeInformation<Either<SluiceRecord, DeadLetter>> rowType =
                    new EitherTypeInfo<>(type, TypeInformation.of(DeadLetter.class));
            SingleOutputStreamOperator<SluiceRecord> records =
                    env.fromSource(
                                    new JdbcBoundedSource(spec),
                                    WatermarkStrategy.noWatermarks(),
                                    context.operatorName("jdbc"),
                                    rowType)
                            .uid(context.uid("jdbc-source"))
                            .setParallelism(parallelism)
                            .process(new DeadLetterRouter(), type)
                            .name(context.operatorName("records"))
                            .uid(context.uid("jdbc-records"))
                            .setParallelism(parallelism);
            context.addDeadLetters(records.getSideOutput(DeadLetters.TAG));
            return records;
        }
    }
}
