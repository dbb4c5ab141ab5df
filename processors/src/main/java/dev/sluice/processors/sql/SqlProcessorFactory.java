package dev.sluice.processors.sql;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.Provisioner;
import dev.sluice.sdk.factory.TranslationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * The {@code sql} processor: one Flink SQL query over the node's inputs, each input a table named
 * by its id, run by Flink's own SQL planner inside the pipeline's job. The query is parsed,
 * validated and planned when the pipeline is planned; see the package documentation for what is
 * allowed, how the output's schema, kind and key are derived, and how inputs become tables.
 */
public final class SqlProcessorFactory implements ProcessorFactory {

    public static final String IDENTIFIER = "sql";

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(SqlProcessorOptions.QUERY);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public PlannedProcessor plan(Context context) {
        return new Planned(context.pipelineName(), context.nodeId(), SqlPlanner.plan(context));
    }

    /**
     * A planned query. Mutable in one respect: the id its key schema got in {@link #provision},
     * which {@link #translate} writes into every key.
     */
    private static final class Planned implements PlannedProcessor {
        private final String pipelineName;
        private final String nodeId;
        private final SqlPlan plan;
        private int keySchemaId = -1;

        Planned(String pipelineName, String nodeId, SqlPlan plan) {
            this.pipelineName = pipelineName;
            this.nodeId = nodeId;
            this.plan = plan;
        }

        @Override
        public Schema outputSchema() {
            return plan.outputSchema;
        }

        @Override
        public StreamKind outputKind() {
            return plan.kind();
        }

        @Override
        public Optional<Schema> keySchema() {
            return Optional.ofNullable(plan.keySchema);
        }

        @Override
        public void provision(Provisioner provisioner) {
            if (plan.keySchema != null) {
                keySchemaId =
                        provisioner.registerSchema(
                                "sluice." + pipelineName + "." + nodeId + "-key", plan.keySchema);
            }
        }

        @Override
        public Map<String, Set<String>> lineage() {
            return plan.lineage;
        }

        @Override
        public DataStream<SluiceRecord> translate(
                List<DataStream<SluiceRecord>> inputs, TranslationContext context) {
            if (plan.keySchema != null && keySchemaId < 0) {
                throw new IllegalStateException(
                        "sql '"
                                + nodeId
                                + "' makes keys: provision() must register its key schema before"
                                + " translate()");
            }
            StreamExecutionEnvironment env = inputs.get(0).getExecutionEnvironment();
            StreamTableEnvironment tableEnv = SqlTables.environment(env, context.parallelism());
            List<DataStream<Row>> rows =
                    SqlTables.register(tableEnv, nodeId, plan.tables, inputs, context);
            Table table = tableEnv.sqlQuery(plan.query);
            if (table.getResolvedSchema().getColumnCount() != plan.columnTypes.size()) {
                throw new IllegalStateException(
                        "sql '"
                                + nodeId
                                + "': the query's result changed since it was planned: "
                                + table.getResolvedSchema());
            }
            DataStream<Row> result =
                    plan.insertOnly
                            ? tableEnv.toDataStream(table)
                            : tableEnv.toChangelogStream(table);
            List<Transformation<?>> boundary = new ArrayList<>();
            rows.forEach(r -> boundary.add(r.getTransformation()));
            PlannerOperators.of(result.getTransformation(), boundary).assignUids(context);
            return result.transform(
                            context.operatorName("output"),
                            context.recordType(plan.outputSchema),
                            new OutputOperator(
                                    plan.outputSchema,
                                    plan.keySchema,
                                    keySchemaId,
                                    plan.columnTypes,
                                    plan.valueColumns,
                                    plan.keyColumns,
                                    plan.keyBytesColumn))
                    .uid(context.uid("output"))
                    .setParallelism(context.parallelism());
        }
    }
}
