package dev.sluice.processors.sql;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.operations.Operation;
import org.apache.flink.table.operations.QueryOperation;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * Plans a {@code sql} processor without running anything: the query goes through Flink's parser and
 * planner against tables shaped like the inputs (in a throw-away table environment on a job that is
 * never executed), so every error the planner can find is found before deployment, and the result's
 * schema, kind and key are known.
 */
final class SqlPlanner {

    private static final Pattern KEY_COLUMN_COPY =
            Pattern.compile(Pattern.quote(InputTable.KEY_COLUMN) + "\\d*");

    private SqlPlanner() {}

    static SqlPlan plan(ProcessorFactory.Context context) {
        String nodeId = context.nodeId();
        String pointer = context.options().pointer(SqlProcessorOptions.QUERY);
        String query = context.options().get(SqlProcessorOptions.QUERY);
        String prefix = "sql '" + nodeId + "': ";
        if (query.isBlank()) {
            throw new ConfigValidationException(
                    pointer, prefix + "the query is empty; write one SELECT over the inputs");
        }
        List<StreamDescriptor> inputs = context.inputs();
        if (inputs.isEmpty()) {
            throw new ConfigValidationException(
                    context.pointer() + "/inputs",
                    prefix + "reads at least one input; its tables are its inputs");
        }
        List<InputTable> tables = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            StreamDescriptor input = inputs.get(i);
            String at = context.pointer() + "/inputs/" + i;
            if (!ids.add(input.nodeId())) {
                throw new ConfigValidationException(
                        at, prefix + "input '" + input.nodeId() + "' is listed twice");
            }
            try {
                tables.add(
                        InputTable.of(
                                input.nodeId(),
                                input.schema(),
                                input.eventTime().orElse(null),
                                false,
                                input.kind() == StreamKind.CHANGELOG));
            } catch (IllegalArgumentException e) {
                throw new ConfigValidationException(
                        at, prefix + "input '" + input.nodeId() + "': " + e.getMessage());
            }
        }
        SqlErrors errors = new SqlErrors(nodeId, tables);

        Attempt result = Attempt.run(nodeId, query, tables, errors, pointer);
        List<String> names = result.schema.getColumnNames();
        List<DataType> types = result.schema.getColumnDataTypes();
        QueryAnalysis analysis = QueryAnalysis.of(query);

        String runQuery = query;
        List<InputTable> runTables = tables;
        List<DataType> runTypes = types;
        int[] valueColumns = range(names.size());
        int[] keyColumns = new int[0];
        int keyBytesColumn = -1;
        if (analysis.groupBy()) {
            try {
                keyColumns =
                        analysis.groupPositions(names).stream()
                                .mapToInt(Integer::intValue)
                                .toArray();
            } catch (IllegalArgumentException e) {
                throw new ConfigValidationException(
                        pointer,
                        prefix
                                + "the output of an aggregate is keyed by its GROUP BY columns, so"
                                + " each must be an output column: "
                                + e.getMessage()
                                + "; add it to the SELECT list");
            }
        } else if (!analysis.parsed()) {
            if (!result.insertOnly) {
                throw new ConfigValidationException(
                        pointer,
                        prefix
                                + "the result of this query is a changelog, and its key cannot be"
                                + " derived because the query could not be analysed ("
                                + analysis.parseError()
                                + "); write it with standard SQL syntax");
            }
        } else if (result.operators.rowPreservingOverOneInput()) {
            Optional<String> keyed = analysis.withExtraColumn(InputTable.KEY_COLUMN);
            Optional<Attempt> withKey =
                    keyed.flatMap(q -> Attempt.tryRun(nodeId, q, keyed(tables), errors, pointer));
            if (withKey.isPresent() && sameColumns(withKey.get().schema, result.schema)) {
                ResolvedSchema s = withKey.get().schema;
                runQuery = keyed.get();
                runTables = keyed(tables);
                runTypes = s.getColumnDataTypes();
                keyBytesColumn = s.getColumnCount() - 1;
                valueColumns = userColumns(s);
            }
        }

        for (int i = 0; i < names.size(); i++) {
            if (!AvroFlinkTypes.isAvroName(names.get(i))) {
                throw new ConfigValidationException(
                        pointer,
                        prefix
                                + "output column "
                                + (i + 1)
                                + " is named '"
                                + names.get(i)
                                + "', which is not a valid Avro field name (letters, digits and"
                                + " '_', not starting with a digit); name it with AS, e.g."
                                + " COUNT(*) AS orders");
            }
        }
        String recordName = avroName(context.pipelineName() + "_" + nodeId);
        Schema outputSchema;
        Schema keySchema = null;
        try {
            outputSchema = AvroFlinkTypes.record(recordName, names, types);
            if (keyColumns.length > 0) {
                List<String> keyNames = new ArrayList<>();
                List<DataType> keyTypes = new ArrayList<>();
                for (int k : keyColumns) {
                    keyNames.add(names.get(k));
                    keyTypes.add(types.get(k));
                }
                keySchema = AvroFlinkTypes.record(recordName + "_key", keyNames, keyTypes);
            }
        } catch (AvroFlinkTypes.UnsupportedTypeException e) {
            throw new ConfigValidationException(pointer, prefix + "output " + e.getMessage());
        }
        if (keyBytesColumn >= 0) {
            // The key columns' positions are those of the user's columns in the run query.
            keyColumns = new int[0];
        } else if (keyColumns.length > 0) {
            int[] mapped = new int[keyColumns.length];
            for (int i = 0; i < keyColumns.length; i++) {
                mapped[i] = valueColumns[keyColumns[i]];
            }
            keyColumns = mapped;
        }

        Map<String, List<String>> fields = new LinkedHashMap<>();
        Map<String, String> eventTimes = new LinkedHashMap<>();
        for (InputTable t : tables) {
            List<String> fieldNames = new ArrayList<>();
            t.fields().forEach(f -> fieldNames.add(f.name()));
            fields.put(t.id(), fieldNames);
            if (t.eventTime() != null) {
                eventTimes.put(t.id(), t.eventTime().field());
            }
        }
        List<LogicalType> columnTypes = new ArrayList<>();
        runTypes.forEach(t -> columnTypes.add(t.getLogicalType()));
        return new SqlPlan(
                runQuery,
                runTables,
                result.insertOnly,
                columnTypes,
                outputSchema,
                keySchema,
                valueColumns,
                keyColumns,
                keyBytesColumn,
                analysis.lineage(names, fields, eventTimes));
    }

    private static List<InputTable> keyed(List<InputTable> tables) {
        List<InputTable> out = new ArrayList<>();
        tables.forEach(t -> out.add(t.keyed(true)));
        return out;
    }

    /**
     * Whether the run with the key column has the user's columns plus a last BYTES column (and
     * possibly copies of the key column that a {@code *} brought in).
     */
    private static boolean sameColumns(ResolvedSchema withKey, ResolvedSchema user) {
        int last = withKey.getColumnCount() - 1;
        if (last < 0
                || withKey.getColumnDataTypes().get(last).getLogicalType().getTypeRoot()
                        != LogicalTypeRoot.VARBINARY) {
            return false;
        }
        int[] columns = userColumns(withKey);
        if (columns.length != user.getColumnCount()) {
            return false;
        }
        for (int i = 0; i < columns.length; i++) {
            if (!withKey.getColumnNames().get(columns[i]).equals(user.getColumnNames().get(i))
                    || !withKey.getColumnDataTypes()
                            .get(columns[i])
                            .getLogicalType()
                            .equals(user.getColumnDataTypes().get(i).getLogicalType())) {
                return false;
            }
        }
        return true;
    }

    /** The columns of a run with the key column that are the user's: all but the key's copies. */
    private static int[] userColumns(ResolvedSchema withKey) {
        List<Integer> columns = new ArrayList<>();
        List<String> names = withKey.getColumnNames();
        for (int i = 0; i < names.size() - 1; i++) {
            if (!KEY_COLUMN_COPY.matcher(names.get(i)).matches()) {
                columns.add(i);
            }
        }
        return columns.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** A name usable in Avro: letters, digits and '_', not starting with a digit. */
    static String avroName(String text) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            sb.append((c < 128 && Character.isLetterOrDigit(c)) || c == '_' ? c : '_');
        }
        return sb.length() == 0 || Character.isDigit(sb.charAt(0)) ? "_" + sb : sb.toString();
    }

    /** One run of the query through Flink's planner, on a job that is never executed. */
    private static final class Attempt {
        final ResolvedSchema schema;
        final boolean insertOnly;
        final PlannerOperators operators;

        private Attempt(ResolvedSchema schema, boolean insertOnly, PlannerOperators operators) {
            this.schema = schema;
            this.insertOnly = insertOnly;
            this.operators = operators;
        }

        /** The run of a query that must work, with Flink's complaints made readable. */
        static Attempt run(
                String nodeId,
                String query,
                List<InputTable> tables,
                SqlErrors errors,
                String pointer) {
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
            StreamTableEnvironment tableEnv = SqlTables.environment(env, 1);
            List<DataStream<SluiceRecord>> inputs = new ArrayList<>();
            for (InputTable t : tables) {
                inputs.add(
                        env.fromSequence(0, 0)
                                .flatMap(new NoRecords(), new SluiceRecordTypeInfo(t.schema())));
            }
            List<DataStream<Row>> rows =
                    SqlTables.register(tableEnv, nodeId, tables, inputs, new PlanningOnly());

            List<Operation> operations;
            try {
                operations = ((TableEnvironmentInternal) tableEnv).getParser().parse(query);
            } catch (IllegalArgumentException e) {
                if (String.valueOf(e.getMessage()).contains("single statement")) {
                    throw new ConfigValidationException(pointer, errors.multipleStatements(), e);
                }
                throw new ConfigValidationException(pointer, errors.describe(e), e);
            } catch (RuntimeException e) {
                throw new ConfigValidationException(pointer, errors.describe(e), e);
            }
            if (operations.size() != 1 || !(operations.get(0) instanceof QueryOperation)) {
                throw new ConfigValidationException(pointer, errors.notAQuery(query));
            }
            Table table;
            DataStream<Row> result;
            boolean insertOnly;
            try {
                table = tableEnv.sqlQuery(query);
            } catch (RuntimeException e) {
                throw new ConfigValidationException(pointer, errors.describe(e), e);
            }
            try {
                result = tableEnv.toDataStream(table);
                insertOnly = true;
            } catch (RuntimeException appendOnly) {
                // Not insert-only (or not valid at all: then the changelog conversion says why).
                try {
                    result = tableEnv.toChangelogStream(table);
                    insertOnly = false;
                } catch (RuntimeException e) {
                    throw new ConfigValidationException(pointer, errors.describe(e), e);
                }
            }
            List<Transformation<?>> boundary = new ArrayList<>();
            rows.forEach(r -> boundary.add(r.getTransformation()));
            return new Attempt(
                    table.getResolvedSchema(),
                    insertOnly,
                    PlannerOperators.of(result.getTransformation(), boundary));
        }

        /** The run of a variant of a valid query; empty if the planner refuses it. */
        static Optional<Attempt> tryRun(
                String nodeId,
                String query,
                List<InputTable> tables,
                SqlErrors errors,
                String pointer) {
            try {
                return Optional.of(run(nodeId, query, tables, errors, pointer));
            } catch (ConfigValidationException e) {
                return Optional.empty();
            }
        }
    }

    /** The source of a plan-time input: never emits anything. */
    private static final class NoRecords implements FlatMapFunction<Long, SluiceRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(Long ignored, Collector<SluiceRecord> out) {}
    }

    /** The translation context of the throw-away plan-time job. */
    private static final class PlanningOnly implements TranslationContext {
        @Override
        public String uid(String suffix) {
            return "plan/" + suffix;
        }

        @Override
        public String operatorName(String suffix) {
            return suffix;
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public TypeInformation<SluiceRecord> recordType(Schema schema) {
            return new SluiceRecordTypeInfo(schema);
        }

        @Override
        public void addDeadLetters(DataStream<DeadLetter> deadLetters) {}

        @Override
        public String transactionalIdPrefix() {
            return "plan";
        }

        @Override
        public String consumerGroupId() {
            return "plan";
        }
    }
}
