package dev.sluice.processors.sql;

import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.EventTime;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.factory.TranslationContext;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableConfig;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.runtime.typeutils.ExternalTypeInfo;
import org.apache.flink.types.Row;

/**
 * The table side of a {@code sql} processor: a table environment on the pipeline's job configured
 * the same way at plan time and at run time, and each input registered as a table named by its id.
 */
final class SqlTables {

    /**
     * The uid pattern of the planner's operators. The planner's {@code <id>} is a JVM-wide counter,
     * so it is left out; {@link PlannerOperators} prefixes the node's uid and numbers repeats.
     */
    static final String UID_FORMAT = "<type>_<version>_<transformation>";

    private SqlTables() {}

    /**
     * A table environment on {@code env} with Sluice's settings, in the runtime mode of {@code env}
     * (a batch pipeline's run is a bounded job, and the planner must not switch it to streaming).
     */
    static StreamTableEnvironment environment(StreamExecutionEnvironment env, int parallelism) {
        boolean batch =
                env.getConfiguration()
                                .get(org.apache.flink.configuration.ExecutionOptions.RUNTIME_MODE)
                        == org.apache.flink.api.common.RuntimeExecutionMode.BATCH;
        EnvironmentSettings.Builder builder = EnvironmentSettings.newInstance();
        if (batch) {
            builder.inBatchMode();
        } else {
            builder.inStreamingMode();
        }
        EnvironmentSettings settings =
                builder.withClassLoader(SqlTables.class.getClassLoader()).build();
        StreamTableEnvironment tableEnv = StreamTableEnvironment.create(env, settings);
        TableConfig config = tableEnv.getConfig();
        // Timestamps are UTC wall-clock times, whatever the machine's zone.
        config.set(TableConfigOptions.LOCAL_TIME_ZONE, "UTC");
        // No /*+ OPTIONS(...) */: the tables are streams of the pipeline, not connector tables.
        config.set(TableConfigOptions.TABLE_DYNAMIC_TABLE_OPTIONS_ENABLED, false);
        config.set(
                ExecutionConfigOptions.TABLE_EXEC_UID_GENERATION,
                ExecutionConfigOptions.UidGeneration.ALWAYS);
        config.set(ExecutionConfigOptions.TABLE_EXEC_UID_FORMAT, UID_FORMAT);
        config.set(ExecutionConfigOptions.TABLE_EXEC_RESOURCE_DEFAULT_PARALLELISM, parallelism);
        return tableEnv;
    }

    /**
     * Registers each input as a table named by its id; returns the row streams the tables read (the
     * boundary between this node's own operators and the planner's).
     */
    static List<DataStream<Row>> register(
            StreamTableEnvironment tableEnv,
            String processorId,
            List<InputTable> tables,
            List<DataStream<SluiceRecord>> inputs,
            TranslationContext context) {
        List<DataStream<Row>> rows = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            InputTable table = tables.get(i);
            DataStream<Row> stream = rows(processorId, table, inputs.get(i), context);
            Schema.Builder schema = Schema.newBuilder().fromRowDataType(table.rowType());
            if (table.rowtimeIndex() >= 0) {
                // The event-time column is the rowtime; the watermarks are the ones assigned to
                // the rows below, with the input's declared out-of-orderness and idleness.
                schema.watermark(
                        table.fields().get(table.rowtimeIndex()).name(), "SOURCE_WATERMARK()");
            }
            Table t =
                    table.changelog()
                            ? tableEnv.fromChangelogStream(
                                    stream, schema.build(), ChangelogMode.all())
                            : tableEnv.fromDataStream(stream, schema.build());
            tableEnv.createTemporaryView(quote(table.id()), t);
            rows.add(stream);
        }
        return rows;
    }

    private static DataStream<Row> rows(
            String processorId,
            InputTable table,
            DataStream<SluiceRecord> input,
            TranslationContext context) {
        TypeInformation<Row> type = ExternalTypeInfo.of(table.rowType());
        String suffix = "input-" + table.id();
        SingleOutputStreamOperator<Row> rows =
                table.changelog()
                        ? input.keyBy(new ChangelogInputFunction.ByKey())
                                .process(new ChangelogInputFunction(processorId, table), type)
                        : input.process(new AppendInputFunction(processorId, table), type);
        rows.uid(context.uid(suffix))
                .name(context.operatorName(suffix))
                .setParallelism(context.parallelism());
        context.addDeadLetters(rows.getSideOutput(DeadLetters.TAG));
        if (table.rowtimeIndex() < 0) {
            return rows;
        }
        EventTime eventTime = table.eventTime();
        WatermarkStrategy<Row> strategy =
                WatermarkStrategy.<Row>forBoundedOutOfOrderness(eventTime.maxOutOfOrderness())
                        .withTimestampAssigner(new RowtimeAssigner(table.rowtimeIndex()));
        if (!eventTime.idleTimeout().isZero()) {
            strategy = strategy.withIdleness(eventTime.idleTimeout());
        }
        return rows.assignTimestampsAndWatermarks(strategy)
                .uid(context.uid(suffix + "-watermarks"))
                .name(context.operatorName(suffix + "-watermarks"))
                .setParallelism(context.parallelism());
    }

    /** A table name as SQL writes it: back-quoted, so ids with '-' or '.' stay one name. */
    static String quote(String id) {
        return "`" + id.replace("`", "``") + "`";
    }

    /** A row's event time: its rowtime column, a UTC TIMESTAMP(3). */
    private static final class RowtimeAssigner implements SerializableTimestampAssigner<Row> {
        private static final long serialVersionUID = 1L;
        private final int index;

        RowtimeAssigner(int index) {
            this.index = index;
        }

        @Override
        public long extractTimestamp(Row row, long previous) {
            return ((LocalDateTime) row.getField(index)).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
    }
}
