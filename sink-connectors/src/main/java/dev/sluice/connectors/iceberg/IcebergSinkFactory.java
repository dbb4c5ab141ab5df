package dev.sluice.connectors.iceberg;

import static dev.sluice.connectors.iceberg.IcebergSinkOptions.COMMIT_INTERVAL;
import static dev.sluice.connectors.iceberg.IcebergSinkOptions.KEY;
import static dev.sluice.connectors.iceberg.IcebergSinkOptions.PARTITION_BY;
import static dev.sluice.connectors.iceberg.IcebergSinkOptions.SNAPSHOT_RETENTION;
import static dev.sluice.connectors.iceberg.IcebergSinkOptions.TABLE;
import static dev.sluice.connectors.iceberg.IcebergSinkOptions.WRITE;

import dev.sluice.connectors.sink.AvroSchemas;
import dev.sluice.connectors.sink.ChangelogConvention;
import dev.sluice.connectors.sink.ConfluentKeyDecoder;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Provisioner;
import dev.sluice.sdk.factory.SinkFactory;
import dev.sluice.sdk.factory.TranslationContext;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.maintenance.api.ExpireSnapshotsConfig;
import org.apache.iceberg.flink.maintenance.api.FlinkMaintenanceConfig;
import org.apache.iceberg.flink.sink.IcebergSink;

/**
 * The {@code iceberg} sink: writes a pipeline's stream into a table of the platform's Iceberg
 * catalog, committed at Flink checkpoints (exactly once: Iceberg's committer records the checkpoint
 * id of each commit and skips what a restored job already committed). See the package documentation
 * for the options, the modes and how tables are created and evolved.
 */
public final class IcebergSinkFactory implements SinkFactory {

    public static final String IDENTIFIER = "iceberg";

    /** The snapshot summary property naming the pipeline that made the commit. */
    public static final String PIPELINE_PROPERTY = "sluice.pipeline";

    /** The snapshot summary property naming the sink node that made the commit. */
    public static final String NODE_PROPERTY = "sluice.node";

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
        return Set.of(WRITE, PARTITION_BY, KEY, COMMIT_INTERVAL, SNAPSHOT_RETENTION);
    }

    @Override
    public PlannedSink plan(Context context) {
        NodeOptions options = context.options();
        String tableName = options.get(TABLE);
        if (!IcebergCatalogs.isValidTableName(tableName)) {
            throw new ConfigValidationException(
                    options.pointer(TABLE),
                    options.pointer(TABLE)
                            + ": '"
                            + tableName
                            + "' is not a table name; expected namespace.name, e.g."
                            + " \"studio.movies\" (letters, digits, _ and -)");
        }
        StreamDescriptor input = context.input();
        WriteMode mode =
                options.getOptional(WRITE)
                        .map(WriteMode::of)
                        .orElse(
                                input.kind() == StreamKind.CHANGELOG
                                        ? WriteMode.UPSERT
                                        : WriteMode.APPEND);
        if (mode == WriteMode.OVERWRITE && !context.bounded()) {
            throw new ConfigValidationException(
                    options.pointer(WRITE),
                    options.pointer(WRITE)
                            + ": write=overwrite is for batch pipelines (mode \"batch\"); a"
                            + " streaming pipeline appends or upserts");
        }
        if (mode == WriteMode.OVERWRITE && input.kind() == StreamKind.CHANGELOG) {
            throw new ConfigValidationException(
                    options.pointer(WRITE),
                    options.pointer(WRITE)
                            + ": write=overwrite replaces partitions with the rows of a batch run"
                            + " and needs an append input; input '"
                            + input.nodeId()
                            + "' is a changelog: use upsert");
        }
        List<Schema.Field> fields = tableFields(input.schema(), mode);
        List<String> keyColumns = keyColumns(context, input, mode, fields);

        List<String> partitionBy = options.getOptional(PARTITION_BY).orElse(List.of());
        if (mode == WriteMode.UPSERT) {
            for (String column : PartitionSpecs.sourceColumns(partitionBy)) {
                if (!keyColumns.contains(column)) {
                    throw new ConfigValidationException(
                            options.pointer(PARTITION_BY),
                            options.pointer(PARTITION_BY)
                                    + ": write=upsert partitions only by key columns (an update"
                                    + " must find the old row in its partition); '"
                                    + column
                                    + "' is not one of the key columns "
                                    + keyColumns);
                }
            }
        }
        Duration commitInterval = options.getOptional(COMMIT_INTERVAL).orElse(Duration.ZERO);
        if (commitInterval.isNegative()) {
            throw new ConfigValidationException(
                    options.pointer(COMMIT_INTERVAL),
                    options.pointer(COMMIT_INTERVAL) + ": must not be negative");
        }
        Duration retention = options.getOptional(SNAPSHOT_RETENTION).orElse(null);
        if (retention != null && retention.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigValidationException(
                    options.pointer(SNAPSHOT_RETENTION),
                    options.pointer(SNAPSHOT_RETENTION) + ": must be at least PT1S");
        }

        org.apache.iceberg.Schema derived;
        try {
            derived = AvroIcebergTypes.toSchema(fields, keyColumns);
        } catch (UnsupportedFieldException e) {
            throw new ConfigValidationException(
                    options.pointer(TABLE),
                    "input '"
                            + input.nodeId()
                            + "' cannot be written to Iceberg: "
                            + e.getMessage());
        }

        Map<String, String> catalogProperties = context.platform().icebergCatalog();
        CatalogLoader loader;
        try {
            loader = IcebergCatalogs.loader(catalogProperties);
        } catch (IllegalArgumentException e) {
            throw new ConfigValidationException(options.pointer(TABLE), e.getMessage());
        }
        TableIdentifier id = IcebergCatalogs.identifier(tableName);
        Table existing = loadIfExists(loader, id, options);
        if (existing != null) {
            checkExisting(
                    existing, tableName, input, mode, fields, keyColumns, partitionBy, options);
        } else {
            try {
                PartitionSpecs.parse(partitionBy, derived);
            } catch (IllegalArgumentException e) {
                throw new ConfigValidationException(
                        options.pointer(PARTITION_BY),
                        options.pointer(PARTITION_BY) + ": " + e.getMessage());
            }
        }
        return new Planned(
                context.pipelineName(),
                context.nodeId(),
                options,
                tableName,
                catalogProperties,
                input,
                mode,
                fields,
                keyColumns,
                partitionBy,
                derived,
                commitInterval,
                retention);
    }

    /**
     * The fields that become columns: in upsert mode the row's own fields plus {@code __ts_ms} (the
     * change's commit time, useful in a lake table); in append and overwrite mode every field,
     * metadata included, since each record is a fact worth keeping whole.
     */
    static List<Schema.Field> tableFields(Schema valueSchema, WriteMode mode) {
        List<Schema.Field> out = new ArrayList<>();
        for (Schema.Field f : valueSchema.getFields()) {
            if (mode == WriteMode.UPSERT
                    && ChangelogConvention.isMetadata(f.name())
                    && !ChangelogConvention.TS_FIELD.equals(f.name())) {
                continue;
            }
            out.add(f);
        }
        return out;
    }

    private static List<String> keyColumns(
            Context context, StreamDescriptor input, WriteMode mode, List<Schema.Field> fields) {
        NodeOptions options = context.options();
        if (mode != WriteMode.UPSERT) {
            if (options.contains(KEY)) {
                throw new ConfigValidationException(
                        options.pointer(KEY),
                        options.pointer(KEY)
                                + ": 'key' applies to write=upsert only; this sink writes "
                                + mode);
            }
            return List.of();
        }
        List<String> keys;
        String pointer;
        if (options.contains(KEY)) {
            keys = options.get(KEY);
            pointer = options.pointer(KEY);
            if (keys.isEmpty() || new LinkedHashSet<>(keys).size() != keys.size()) {
                throw new ConfigValidationException(
                        pointer, pointer + ": expected one or more distinct column names");
            }
        } else if (input.keySchema().isPresent()) {
            keys = new ArrayList<>();
            for (Schema.Field f : input.keySchema().get().getFields()) {
                keys.add(f.name());
            }
            pointer = options.pointer(WRITE);
        } else {
            throw new ConfigValidationException(
                    options.pointer(WRITE),
                    options.pointer(WRITE)
                            + ": write=upsert needs key columns, and input '"
                            + input.nodeId()
                            + "' has no key schema; set 'key' to the columns that identify a row");
        }
        Map<String, Schema.Field> byName = new HashMap<>();
        fields.forEach(f -> byName.put(f.name(), f));
        for (String key : keys) {
            Schema.Field f = byName.get(key);
            if (f == null) {
                List<String> names = new ArrayList<>();
                fields.forEach(x -> names.add(x.name()));
                throw new ConfigValidationException(
                        pointer,
                        pointer
                                + ": key column '"
                                + key
                                + "' is not a field of input '"
                                + input.nodeId()
                                + "'; its fields: "
                                + String.join(", ", names));
            }
            Schema s;
            try {
                s = AvroSchemas.nonNull(f.schema());
            } catch (IllegalArgumentException e) {
                throw new ConfigValidationException(pointer, pointer + ": " + e.getMessage());
            }
            switch (s.getType()) {
                case RECORD:
                case ARRAY:
                case MAP:
                case FLOAT:
                case DOUBLE:
                    throw new ConfigValidationException(
                            pointer,
                            pointer
                                    + ": key column '"
                                    + key
                                    + "' is "
                                    + AvroSchemas.describe(s)
                                    + "; Iceberg keys are primitive values other than float and"
                                    + " double");
                default:
                    break;
            }
        }
        return List.copyOf(keys);
    }

    private static Table loadIfExists(
            CatalogLoader loader, TableIdentifier id, NodeOptions options) {
        Catalog catalog = null;
        try {
            catalog = loader.loadCatalog();
            return catalog.tableExists(id) ? catalog.loadTable(id) : null;
        } catch (RuntimeException e) {
            throw new ConfigValidationException(
                    options.pointer(TABLE),
                    options.pointer(TABLE)
                            + ": cannot read table '"
                            + id
                            + "' from the Iceberg catalog: "
                            + e.getMessage(),
                    e);
        } finally {
            closeQuietly(catalog);
        }
    }

    private static void checkExisting(
            Table table,
            String tableName,
            StreamDescriptor input,
            WriteMode mode,
            List<Schema.Field> fields,
            List<String> keyColumns,
            List<String> partitionBy,
            NodeOptions options) {
        try {
            SchemaEvolution.compare(fields, table.schema(), new HashSet<>(keyColumns));
        } catch (UnsupportedFieldException e) {
            throw new ConfigValidationException(
                    options.pointer(TABLE),
                    "table '"
                            + tableName
                            + "' cannot take input '"
                            + input.nodeId()
                            + "': "
                            + e.getMessage()
                            + " (extra optional columns in the table are fine, and missing"
                            + " columns are added)");
        }
        if (mode == WriteMode.UPSERT && TableUtil.formatVersion(table) < 2) {
            throw new ConfigValidationException(
                    options.pointer(WRITE),
                    options.pointer(WRITE)
                            + ": write=upsert needs an Iceberg table of format version 2 or"
                            + " later; table '"
                            + tableName
                            + "' is version "
                            + TableUtil.formatVersion(table));
        }
        if (!partitionBy.isEmpty()) {
            PartitionSpec wanted;
            try {
                wanted = PartitionSpecs.parse(partitionBy, table.schema());
            } catch (IllegalArgumentException e) {
                throw new ConfigValidationException(
                        options.pointer(PARTITION_BY),
                        options.pointer(PARTITION_BY) + ": " + e.getMessage());
            }
            if (!wanted.compatibleWith(table.spec())) {
                throw new ConfigValidationException(
                        options.pointer(PARTITION_BY),
                        options.pointer(PARTITION_BY)
                                + ": table '"
                                + tableName
                                + "' exists with partitioning "
                                + describe(table.spec())
                                + "; Sluice does not repartition an existing table: remove"
                                + " 'partitionBy' or make it match");
            }
        }
        if (mode == WriteMode.UPSERT) {
            for (org.apache.iceberg.PartitionField p : table.spec().fields()) {
                String source = table.schema().findColumnName(p.sourceId());
                if (!keyColumns.contains(source)) {
                    throw new ConfigValidationException(
                            options.pointer(TABLE),
                            "table '"
                                    + tableName
                                    + "' is partitioned by '"
                                    + source
                                    + "', which is not one of the key columns "
                                    + keyColumns
                                    + "; write=upsert needs partitions by key columns only");
                }
            }
        }
    }

    private static String describe(PartitionSpec spec) {
        if (spec.isUnpartitioned()) {
            return "(none)";
        }
        List<String> out = new ArrayList<>();
        for (org.apache.iceberg.PartitionField p : spec.fields()) {
            String source = spec.schema().findColumnName(p.sourceId());
            String transform = p.transform().toString();
            out.add("identity".equals(transform) ? source : transform + "(" + source + ")");
        }
        return out.toString();
    }

    static void closeQuietly(Object catalog) {
        if (catalog instanceof Closeable) {
            try {
                ((Closeable) catalog).close();
            } catch (IOException e) {
                // nothing held worth reporting
            }
        }
    }

    /** A planned {@code iceberg} sink. */
    private static final class Planned implements PlannedSink {
        private final String pipelineName;
        private final String nodeId;
        private final NodeOptions options;
        private final String tableName;
        private final Map<String, String> catalogProperties;
        private final StreamDescriptor input;
        private final WriteMode mode;
        private final List<Schema.Field> fields;
        private final List<String> keyColumns;
        private final List<String> partitionBy;
        private final org.apache.iceberg.Schema derived;
        private final Duration commitInterval;
        private final Duration retention;

        Planned(
                String pipelineName,
                String nodeId,
                NodeOptions options,
                String tableName,
                Map<String, String> catalogProperties,
                StreamDescriptor input,
                WriteMode mode,
                List<Schema.Field> fields,
                List<String> keyColumns,
                List<String> partitionBy,
                org.apache.iceberg.Schema derived,
                Duration commitInterval,
                Duration retention) {
            this.pipelineName = pipelineName;
            this.nodeId = nodeId;
            this.options = options;
            this.tableName = tableName;
            this.catalogProperties = Map.copyOf(catalogProperties);
            this.input = input;
            this.mode = mode;
            this.fields = List.copyOf(fields);
            this.keyColumns = keyColumns;
            this.partitionBy = partitionBy;
            this.derived = derived;
            this.commitInterval = commitInterval;
            this.retention = retention;
        }

        private TableIdentifier id() {
            return IcebergCatalogs.identifier(tableName);
        }

        /**
         * Creates the table from the input's schema when it is missing (format v2; with the key
         * columns as identifier fields in upsert mode; partitioned by {@code partitionBy}), or
         * evolves an existing one: new fields become optional columns, narrower columns are
         * widened.
         */
        @Override
        public void provision(Provisioner provisioner) {
            CatalogLoader loader = IcebergCatalogs.loader(catalogProperties);
            Catalog catalog = loader.loadCatalog();
            try {
                TableIdentifier id = id();
                if (catalog instanceof SupportsNamespaces
                        && id.hasNamespace()
                        && !((SupportsNamespaces) catalog).namespaceExists(id.namespace())) {
                    try {
                        ((SupportsNamespaces) catalog).createNamespace(id.namespace());
                    } catch (AlreadyExistsException e) {
                        // made concurrently: fine
                    }
                }
                if (!catalog.tableExists(id)) {
                    try {
                        catalog.createTable(
                                id,
                                derived,
                                PartitionSpecs.parse(partitionBy, derived),
                                Map.of(TableProperties.FORMAT_VERSION, "2"));
                        return;
                    } catch (AlreadyExistsException e) {
                        // made concurrently: evolve it like any existing table
                    }
                }
                Table table = catalog.loadTable(id);
                try {
                    SchemaEvolution.compare(fields, table.schema(), new HashSet<>(keyColumns))
                            .applyTo(table);
                } catch (UnsupportedFieldException e) {
                    throw new ConfigValidationException(
                            options.pointer(TABLE),
                            "table '"
                                    + tableName
                                    + "' cannot take input '"
                                    + input.nodeId()
                                    + "': "
                                    + e.getMessage());
                }
            } finally {
                closeQuietly(catalog);
            }
        }

        @Override
        public void translate(DataStream<SluiceRecord> stream, TranslationContext context) {
            if (mode == WriteMode.OVERWRITE
                    && stream.getExecutionEnvironment()
                                    .getConfiguration()
                                    .get(ExecutionOptions.RUNTIME_MODE)
                            == RuntimeExecutionMode.STREAMING) {
                throw new ConfigValidationException(
                        options.pointer(WRITE),
                        options.pointer(WRITE)
                                + ": write=overwrite is for batch pipelines (mode \"batch\"); a"
                                + " streaming pipeline appends or upserts");
            }
            CatalogLoader loader = IcebergCatalogs.loader(catalogProperties);
            Table table;
            Catalog catalog = loader.loadCatalog();
            try {
                if (!catalog.tableExists(id())) {
                    throw new IllegalStateException(
                            "iceberg sink '"
                                    + nodeId
                                    + "' translated before its table "
                                    + tableName
                                    + " was provisioned");
                }
                table = catalog.loadTable(id());
            } finally {
                closeQuietly(catalog);
            }
            Schema valueSchema = input.schema();
            Schema keySchema = input.keySchema().orElse(null);
            RowDataConverter converter =
                    new RowDataConverter(valueSchema, table.schema(), keySchema);
            IcebergChangeFunction.RowMapper rows =
                    new IcebergChangeFunction.RowMapper(
                            mode,
                            ChangelogConvention.hasOpField(valueSchema),
                            converter,
                            keySchema == null ? null : new ConfluentKeyDecoder(keySchema),
                            keyColumns);
            int parallelism = context.parallelism();

            DataStream<SluiceRecord> checked =
                    context.process(
                            stream,
                            new IcebergChangeFunction(nodeId, rows),
                            valueSchema,
                            "iceberg-changes");
            TypeInformation<SluiceRecord> recordType = context.recordType(valueSchema);
            CommitIntervalBuffer buffer =
                    new CommitIntervalBuffer(commitInterval.toMillis(), recordType);
            DataStream<SluiceRecord> paced =
                    checked.transform(
                                    context.operatorName("iceberg-commit-interval"),
                                    recordType,
                                    buffer)
                            .uid(context.uid("iceberg-commit-interval"))
                            .setParallelism(parallelism);
            DataStream<RowData> rowData =
                    paced.flatMap(
                                    new RowDataMapFunction(rows),
                                    InternalTypeInfo.of(FlinkSchemaUtil.convert(table.schema())))
                            .name(context.operatorName("iceberg-rows"))
                            .uid(context.uid("iceberg-rows"))
                            .setParallelism(parallelism);

            IcebergSink.Builder sink =
                    IcebergSink.forRowData(rowData)
                            .table(table)
                            .tableLoader(TableLoader.fromCatalog(loader, id()))
                            .uidSuffix(context.uid("iceberg-writer"))
                            .writeParallelism(parallelism)
                            .setSnapshotProperty(PIPELINE_PROPERTY, pipelineName)
                            .setSnapshotProperty(NODE_PROPERTY, nodeId);
            if (mode == WriteMode.UPSERT) {
                sink.upsert(true).equalityFieldColumns(keyColumns);
            }
            if (mode == WriteMode.OVERWRITE) {
                sink.overwrite(true);
            }
            if (retention != null) {
                sink.expireSnapshots(expiry(retention));
            }
            sink.append();
        }

        /**
         * Iceberg's post-commit maintenance, expiring snapshots older than the retention: checked
         * after commits, at most every retention (capped at an hour), never the last snapshot.
         */
        private static Map<String, String> expiry(Duration retention) {
            long seconds = Math.max(1, retention.getSeconds());
            long every = Math.min(seconds, 3600);
            Map<String, String> config = new HashMap<>();
            config.put(ExpireSnapshotsConfig.MAX_SNAPSHOT_AGE_SECONDS, Long.toString(seconds));
            config.put(ExpireSnapshotsConfig.SCHEDULE_ON_INTERVAL_SECOND, Long.toString(every));
            // Iceberg 1.11 fails building the task without it (no default is applied).
            config.put(ExpireSnapshotsConfig.RETAIN_LAST, "1");
            config.put(FlinkMaintenanceConfig.RATE_LIMIT, Long.toString(Math.min(every, 60)));
            config.put(FlinkMaintenanceConfig.LOCK_CHECK_DELAY, Long.toString(Math.min(every, 30)));
            config.put(FlinkMaintenanceConfig.PARALLELISM, "1");
            return config;
        }
    }
}
