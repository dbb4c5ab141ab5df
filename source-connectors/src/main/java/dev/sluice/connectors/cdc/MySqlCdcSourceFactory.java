package dev.sluice.connectors.cdc;

import static dev.sluice.connectors.cdc.MySqlCdcOptions.DATABASE;
import static dev.sluice.connectors.cdc.MySqlCdcOptions.HEARTBEAT_INTERVAL;
import static dev.sluice.connectors.cdc.MySqlCdcOptions.HOSTNAME;
import static dev.sluice.connectors.cdc.MySqlCdcOptions.KEYS;
import static dev.sluice.connectors.cdc.MySqlCdcOptions.PASSWORD;
import static dev.sluice.connectors.cdc.MySqlCdcOptions.PORT;
import static dev.sluice.connectors.cdc.MySqlCdcOptions.SERVER_ID;
import static dev.sluice.connectors.cdc.MySqlCdcOptions.SNAPSHOT_MODE;
import static dev.sluice.connectors.cdc.MySqlCdcOptions.TABLES;
import static dev.sluice.connectors.cdc.MySqlCdcOptions.TOPIC_PREFIX;
import static dev.sluice.connectors.cdc.MySqlCdcOptions.USERNAME;

import dev.sluice.connectors.cdc.catalog.CaptureProblem;
import dev.sluice.connectors.cdc.catalog.ConnectionSettings;
import dev.sluice.connectors.cdc.catalog.MySqlCatalog;
import dev.sluice.connectors.cdc.internal.ConnectorKind;
import dev.sluice.connectors.cdc.internal.LogPosition;
import dev.sluice.connectors.cdc.schema.SqlDialect;
import dev.sluice.connectors.cdc.schema.TableDefinition;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.NodeContext;
import dev.sluice.sdk.factory.SourceFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The {@code mysql-cdc} source: MySQL and MariaDB change data capture from the binary log, running
 * inside the pipeline's Flink job. The server's version string picks Debezium's connector:
 * MariaDB's own ({@code debezium-connector-mariadb}) for MariaDB, the MySQL connector otherwise.
 * The schema history Debezium needs lives in the job's checkpoints, so DDL while the pipeline is
 * stopped is read correctly on restore.
 *
 * <p>Planning connects as the capture user (5 s timeout) and refuses, with the config key at fault:
 * an unreachable host, a wrong password or unknown database, the binary log off, not in ROW format
 * or without full row images, a user without REPLICATION SLAVE / REPLICATION CLIENT or SELECT, a
 * table that matches nothing, lacks a primary key (and a {@code keys} entry) or has a column type
 * without a mapping.
 *
 * <p>Least privilege means no locks: without RELOAD the initial snapshot runs with Debezium's
 * {@code snapshot.locking.mode=none}, so a row changed while the snapshot runs may arrive both as a
 * snapshot read and as the change (nothing is lost; the last image wins), and DDL on captured
 * tables during the initial snapshot is not supported. A user with RELOAD gets {@code minimal}
 * locking: a brief global read lock and an exactly consistent snapshot.
 */
public final class MySqlCdcSourceFactory implements SourceFactory {

    public static final String IDENTIFIER = "mysql-cdc";

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(HOSTNAME, DATABASE, USERNAME, PASSWORD, TABLES);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(PORT, TOPIC_PREFIX, KEYS, SERVER_ID, HEARTBEAT_INTERVAL, SNAPSHOT_MODE);
    }

    @Override
    public PlannedSource plan(NodeContext context) {
        NodeOptions options = context.options();
        ConnectionSettings settings =
                new ConnectionSettings(
                        options.get(HOSTNAME),
                        CdcPlanning.port(options, PORT),
                        options.get(DATABASE),
                        options.get(USERNAME),
                        options.get(PASSWORD));
        String prefix = CdcPlanning.topicPrefix(context, TOPIC_PREFIX);
        Duration heartbeat = CdcPlanning.positive(options, HEARTBEAT_INTERVAL);
        long serverId = options.getOptional(SERVER_ID).orElse(defaultServerId(context));
        if (serverId < 1 || serverId > 4294967295L) {
            throw new ConfigValidationException(
                    options.pointer(SERVER_ID),
                    options.pointer(SERVER_ID) + ": expected 1 to 4294967295, got " + serverId);
        }
        Map<String, List<String>> keys = CdcPlanning.keys(options, KEYS);

        MySqlCatalog.Inspection inspection;
        try {
            inspection = MySqlCatalog.inspect(settings, options.get(TABLES), keys);
        } catch (CaptureProblem p) {
            throw CdcPlanning.invalid(options, p);
        }
        List<TableDefinition> tables = inspection.tables();
        List<CdcPlannedSource.PlannedTable> planned =
                CdcPlanning.planTables(
                        options,
                        SqlDialect.MYSQL,
                        tables,
                        inspection.entryOfTable(),
                        prefix,
                        TOPIC_PREFIX,
                        "",
                        context.platform().schemaRegistry());

        Set<String> databases = new LinkedHashSet<>();
        tables.forEach(t -> databases.add(t.database()));
        String engineName = CdcPlanning.identifier("sluice_", context, 120);
        Map<String, String> props =
                CdcPlanning.commonDebeziumProperties(
                        engineName,
                        settings.hostname(),
                        settings.port(),
                        settings.username(),
                        settings.password(),
                        options.get(SNAPSHOT_MODE),
                        heartbeat);
        props.put("database.server.id", String.valueOf(serverId));
        props.put("database.include.list", String.join(",", databases));
        props.put("table.include.list", CdcPlanning.includeList(tables));
        // With RELOAD, a brief global read lock makes the snapshot exactly consistent with the
        // binlog position; without it (least privilege) rows changed while the snapshot runs may
        // be read by the snapshot and then captured as changes too (never lost).
        props.put("snapshot.locking.mode", inspection.canLock() ? "minimal" : "none");
        props.put("bigint.unsigned.handling.mode", "precise");
        props.put("include.schema.changes", "false");
        props.put("include.query", "false");
        props.put("schema.history.internal.store.only.captured.tables.ddl", "true");
        props.put("schema.history.internal.store.only.captured.databases.ddl", "true");
        String keyColumns = CdcPlanning.messageKeyColumns(tables, keys);
        if (keyColumns != null) {
            props.put("message.key.columns", keyColumns);
        }

        return new CdcPlannedSource(
                context.nodeId(),
                context.pipelineName() + "/" + context.nodeId(),
                inspection.mariaDb() ? ConnectorKind.MARIADB : ConnectorKind.MYSQL,
                props,
                planned,
                context.platform().kafkaBootstrapServers(),
                context.platform().kafkaClientProperties(),
                context.delivery(),
                new CdcPlannedSource.DatabaseHooks() {
                    @Override
                    public void prepare() {}

                    @Override
                    public void decommission() {}
                },
                context.platform().schemaRegistryUrl(),
                inspection
                        .binlogFile()
                        .map(file -> LogPosition.binlog(file, inspection.binlogPosition()))
                        .orElse(null));
    }

    /** A replica id stable per pipeline and source, away from the small ids servers use. */
    static long defaultServerId(NodeContext context) {
        CRC32 crc = new CRC32();
        crc.update(
                (context.pipelineName() + "/" + context.nodeId()).getBytes(StandardCharsets.UTF_8));
        return 100_000L + crc.getValue() % 1_000_000_000L;
    }
}
