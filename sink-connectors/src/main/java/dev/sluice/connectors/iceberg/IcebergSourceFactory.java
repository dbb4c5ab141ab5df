package dev.sluice.connectors.iceberg;

import static dev.sluice.connectors.iceberg.IcebergSourceOptions.AS_OF_TIMESTAMP;
import static dev.sluice.connectors.iceberg.IcebergSourceOptions.END_SNAPSHOT_ID;
import static dev.sluice.connectors.iceberg.IcebergSourceOptions.SNAPSHOT_ID;
import static dev.sluice.connectors.iceberg.IcebergSourceOptions.START_SNAPSHOT_ID;
import static dev.sluice.connectors.iceberg.IcebergSourceOptions.TABLE;

import dev.sluice.connectors.sink.AvroSchemas;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.source.IcebergSource;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The {@code iceberg} batch source: the rows of a table of the platform's Iceberg catalog, read
 * once per run of a batch pipeline with Iceberg's FLIP-27 {@link IcebergSource}; the current
 * snapshot by default, an older one ({@code snapshotId}, {@code asOfTimestamp}), or what was
 * appended between two snapshots ({@code startSnapshotId}, {@code endSnapshotId}). Rows become
 * append records without a key, of an Avro schema derived from the table's schema ({@link
 * IcebergAvroTypes}).
 */
public final class IcebergSourceFactory implements SourceFactory {

    public static final String IDENTIFIER = "iceberg";

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(TABLE);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(SNAPSHOT_ID, AS_OF_TIMESTAMP, START_SNAPSHOT_ID, END_SNAPSHOT_ID);
    }

    @Override
    public PlannedSource plan(NodeContext context) {
        NodeOptions options = context.options();
        if (!context.bounded()) {
            throw new ConfigValidationException(
                    options.pointer(),
                    options.pointer()
                            + ": the iceberg source is a batch source: it reads a snapshot of its"
                            + " table once and ends, so it runs in pipelines with \"mode\":"
                            + " \"batch\"");
        }
        String tableName = options.get(TABLE);
        String tablePointer = options.pointer(TABLE);
        if (!IcebergCatalogs.isValidTableName(tableName)) {
            throw new ConfigValidationException(
                    tablePointer,
                    tablePointer
                            + ": '"
                            + tableName
                            + "' is not a table name; expected namespace.name, e.g."
                            + " \"studio.movies\" (letters, digits, _ and -)");
        }
        checkCombination(options);

        Map<String, String> catalogProperties = context.platform().icebergCatalog();
        CatalogLoader loader;
        try {
            loader = IcebergCatalogs.loader(catalogProperties);
        } catch (IllegalArgumentException e) {
            throw new ConfigValidationException(tablePointer, e.getMessage());
        }
        Table table = load(loader, IcebergCatalogs.identifier(tableName), tablePointer);
        checkSnapshots(table, tableName, options);

        org.apache.iceberg.Schema schema = table.schema();
        Schema avro;
        try {
            avro =
                    IcebergAvroTypes.toAvro(
                            schema,
                            "Value",
                            AvroSchemas.avroNamespace(
                                    context.pipelineName() + "." + context.nodeId()));
        } catch (UnsupportedFieldException e) {
            throw new ConfigValidationException(
                    tablePointer,
                    tablePointer + ": table '" + tableName + "' cannot be read: " + e.getMessage());
        }
        return new Planned(
                context.nodeId(),
                tableName,
                catalogProperties,
                schema,
                options.getOptional(SNAPSHOT_ID).orElse(null),
                options.getOptional(AS_OF_TIMESTAMP).orElse(null),
                options.getOptional(START_SNAPSHOT_ID).orElse(null),
                options.getOptional(END_SNAPSHOT_ID).orElse(null),
                new StreamDescriptor(context.nodeId(), avro, StreamKind.APPEND));
    }

    /**
     * One way to choose the rows: {@code snapshotId}, {@code asOfTimestamp}, or {@code
     * startSnapshotId} with an optional {@code endSnapshotId}; nothing reads the current snapshot.
     */
    private static void checkCombination(NodeOptions options) {
        List<ConfigOption<Long>> chosen = new ArrayList<>();
        for (ConfigOption<Long> option : List.of(SNAPSHOT_ID, AS_OF_TIMESTAMP, START_SNAPSHOT_ID)) {
            if (options.contains(option)) {
                chosen.add(option);
            }
        }
        if (chosen.size() > 1) {
            ConfigOption<Long> second = chosen.get(1);
            throw new ConfigValidationException(
                    options.pointer(second),
                    options.pointer(second)
                            + ": '"
                            + chosen.get(0).key()
                            + "' and '"
                            + second.key()
                            + "' cannot be combined; choose the rows with one of: snapshotId,"
                            + " asOfTimestamp, or startSnapshotId with an optional"
                            + " endSnapshotId (none: the current snapshot)");
        }
        if (options.contains(END_SNAPSHOT_ID) && !options.contains(START_SNAPSHOT_ID)) {
            throw new ConfigValidationException(
                    options.pointer(END_SNAPSHOT_ID),
                    options.pointer(END_SNAPSHOT_ID)
                            + ": endSnapshotId ends an incremental read and needs"
                            + " startSnapshotId; to read the table as of a snapshot use"
                            + " snapshotId");
        }
    }

    private static Table load(CatalogLoader loader, TableIdentifier id, String pointer) {
        Catalog catalog = null;
        try {
            catalog = loader.loadCatalog();
            if (!catalog.tableExists(id)) {
                throw new ConfigValidationException(
                        pointer,
                        pointer
                                + ": table '"
                                + id
                                + "' does not exist in the platform's Iceberg catalog");
            }
            return catalog.loadTable(id);
        } catch (ConfigValidationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigValidationException(
                    pointer,
                    pointer
                            + ": cannot read table '"
                            + id
                            + "' from the Iceberg catalog: "
                            + e.getMessage(),
                    e);
        } finally {
            IcebergSinkFactory.closeQuietly(catalog);
        }
    }

    private static void checkSnapshots(Table table, String tableName, NodeOptions options) {
        if (options.contains(SNAPSHOT_ID)) {
            long id = options.get(SNAPSHOT_ID);
            if (table.snapshot(id) == null) {
                throw unknownSnapshot(table, tableName, options, SNAPSHOT_ID, id);
            }
        }
        if (options.contains(AS_OF_TIMESTAMP)) {
            long at = options.get(AS_OF_TIMESTAMP);
            if (SnapshotUtil.nullableSnapshotIdAsOfTime(table, at) == null) {
                List<HistoryEntry> history = table.history();
                throw new ConfigValidationException(
                        options.pointer(AS_OF_TIMESTAMP),
                        options.pointer(AS_OF_TIMESTAMP)
                                + ": table '"
                                + tableName
                                + "' has no snapshot at or before "
                                + Instant.ofEpochMilli(at)
                                + (history.isEmpty()
                                        ? " (it has no snapshot yet)"
                                        : " (its first is from "
                                                + Instant.ofEpochMilli(
                                                        history.get(0).timestampMillis())
                                                + ")"));
            }
        }
        if (options.contains(START_SNAPSHOT_ID)) {
            long start = options.get(START_SNAPSHOT_ID);
            Long end = options.getOptional(END_SNAPSHOT_ID).orElse(null);
            if (end != null && table.snapshot(end) == null) {
                throw unknownSnapshot(table, tableName, options, END_SNAPSHOT_ID, end);
            }
            Snapshot last = end != null ? table.snapshot(end) : table.currentSnapshot();
            if (last == null || !isParentAncestor(table, last.snapshotId(), start)) {
                throw new ConfigValidationException(
                        options.pointer(START_SNAPSHOT_ID),
                        options.pointer(START_SNAPSHOT_ID)
                                + ": snapshot "
                                + start
                                + " is not an ancestor of "
                                + (last == null
                                        ? "the current snapshot of table '"
                                                + tableName
                                                + "' (it has none)"
                                        : (end != null ? "endSnapshotId " : "the current snapshot ")
                                                + last.snapshotId()
                                                + " of table '"
                                                + tableName
                                                + "'")
                                + "; its snapshots: "
                                + snapshotIds(table));
            }
        }
    }

    /** Whether {@code start} is {@code end}, one of its ancestors, or the parent of one. */
    private static boolean isParentAncestor(Table table, long end, long start) {
        for (Snapshot s : SnapshotUtil.ancestorsOf(end, table::snapshot)) {
            if (s.snapshotId() == start || Objects.equals(s.parentId(), start)) {
                return true;
            }
        }
        return false;
    }

    private static ConfigValidationException unknownSnapshot(
            Table table,
            String tableName,
            NodeOptions options,
            ConfigOption<Long> option,
            long id) {
        return new ConfigValidationException(
                options.pointer(option),
                options.pointer(option)
                        + ": table '"
                        + tableName
                        + "' has no snapshot "
                        + id
                        + "; its snapshots: "
                        + snapshotIds(table));
    }

    /** The table's newest snapshot ids, oldest first, for messages. */
    private static String snapshotIds(Table table) {
        List<String> ids = new ArrayList<>();
        for (HistoryEntry e : table.history()) {
            ids.add(Long.toString(e.snapshotId()));
        }
        if (ids.isEmpty()) {
            return "(none)";
        }
        int from = Math.max(0, ids.size() - 10);
        return (from > 0 ? "..., " : "") + String.join(", ", ids.subList(from, ids.size()));
    }

    /** A planned {@code iceberg} source. */
    private static final class Planned implements PlannedSource {
        private final String nodeId;
        private final String tableName;
        private final Map<String, String> catalogProperties;
        private final String schemaJson;
        private final Long snapshotId;
        private final Long asOfTimestamp;
        private final Long startSnapshotId;
        private final Long endSnapshotId;
        private final StreamDescriptor output;

        Planned(
                String nodeId,
                String tableName,
                Map<String, String> catalogProperties,
                org.apache.iceberg.Schema schema,
                Long snapshotId,
                Long asOfTimestamp,
                Long startSnapshotId,
                Long endSnapshotId,
                StreamDescriptor output) {
            this.nodeId = nodeId;
            this.tableName = tableName;
            this.catalogProperties = Map.copyOf(catalogProperties);
            this.schemaJson = SchemaParser.toJson(schema);
            this.snapshotId = snapshotId;
            this.asOfTimestamp = asOfTimestamp;
            this.startSnapshotId = startSnapshotId;
            this.endSnapshotId = endSnapshotId;
            this.output = output;
        }

        @Override
        public StreamDescriptor output() {
            return output;
        }

        /**
         * Iceberg's bounded {@link IcebergSource} (one split per file task, at the pipeline's
         * parallelism) with uid {@code iceberg-source}, reading the columns of the schema the
         * pipeline was planned with, then the conversion to records with uid {@code
         * iceberg-records}.
         */
        @Override
        public DataStream<SluiceRecord> translate(
                StreamExecutionEnvironment env, TranslationContext context) {
            org.apache.iceberg.Schema schema = SchemaParser.fromJson(schemaJson);
            TableLoader tableLoader =
                    TableLoader.fromCatalog(
                            IcebergCatalogs.loader(catalogProperties),
                            IcebergCatalogs.identifier(tableName));
            IcebergSource.Builder<RowData> builder =
                    IcebergSource.forRowData()
                            .tableLoader(tableLoader)
                            .streaming(false)
                            .project(schema);
            if (snapshotId != null) {
                builder.useSnapshotId(snapshotId);
            }
            if (asOfTimestamp != null) {
                builder.asOfTimestamp(asOfTimestamp);
            }
            if (startSnapshotId != null) {
                builder.startSnapshotId(startSnapshotId);
            }
            if (endSnapshotId != null) {
                builder.endSnapshotId(endSnapshotId);
            }
            SingleOutputStreamOperator<SluiceRecord> records =
                    env.fromSource(
                                    builder.build(),
                                    WatermarkStrategy.noWatermarks(),
                                    context.operatorName("iceberg:" + tableName),
                                    InternalTypeInfo.of(FlinkSchemaUtil.convert(schema)))
                            .uid(context.uid("iceberg-source"))
                            .setParallelism(context.parallelism())
                            .process(
                                    new IcebergRecordFunction(
                                            nodeId,
                                            tableName,
                                            new RowDataToAvro(schema, output.schema())),
                                    context.recordType(output.schema()))
                            .name(context.operatorName("records"))
                            .uid(context.uid("iceberg-records"))
                            .setParallelism(context.parallelism());
            context.addDeadLetters(records.getSideOutput(DeadLetters.TAG));
            return records;
        }
    }
}
