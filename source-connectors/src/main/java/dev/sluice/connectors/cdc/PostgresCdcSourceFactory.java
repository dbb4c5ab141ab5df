package dev.sluice.connectors.cdc;

import static dev.sluice.connectors.cdc.PostgresCdcOptions.DATABASE;
import static dev.sluice.connectors.cdc.PostgresCdcOptions.HEARTBEAT_INTERVAL;
import static dev.sluice.connectors.cdc.PostgresCdcOptions.HOSTNAME;
import static dev.sluice.connectors.cdc.PostgresCdcOptions.KEYS;
import static dev.sluice.connectors.cdc.PostgresCdcOptions.PASSWORD;
import static dev.sluice.connectors.cdc.PostgresCdcOptions.PORT;
import static dev.sluice.connectors.cdc.PostgresCdcOptions.PUBLICATION_NAME;
import static dev.sluice.connectors.cdc.PostgresCdcOptions.SLOT_NAME;
import static dev.sluice.connectors.cdc.PostgresCdcOptions.SNAPSHOT_MODE;
import static dev.sluice.connectors.cdc.PostgresCdcOptions.TABLES;
import static dev.sluice.connectors.cdc.PostgresCdcOptions.TOPIC_PREFIX;
import static dev.sluice.connectors.cdc.PostgresCdcOptions.USERNAME;

import dev.sluice.connectors.cdc.catalog.CaptureProblem;
import dev.sluice.connectors.cdc.catalog.ConnectionSettings;
import dev.sluice.connectors.cdc.catalog.PostgresCatalog;
import dev.sluice.connectors.cdc.internal.ConnectorKind;
import dev.sluice.connectors.cdc.internal.LogPosition;
import dev.sluice.connectors.cdc.schema.SqlDialect;
import dev.sluice.connectors.cdc.schema.TableDefinition;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.NodeContext;
import dev.sluice.sdk.factory.SourceFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code postgres-cdc} source: PostgreSQL change data capture with Debezium's {@code pgoutput}
 * connector, running inside the pipeline's Flink job. Sluice manages the replication slot (created
 * on first start, dropped when the pipeline is deleted) and, unless {@code publication.name} names
 * one, the publication ({@code FOR TABLE} the captured tables); it sets {@code REPLICA IDENTITY
 * FULL} on the captured tables so updates and deletes carry whole rows.
 *
 * <p>Planning connects as the capture role (5 s timeout) and refuses, with the config key at fault:
 * an unreachable host, a wrong password or database, {@code wal_level} other than {@code logical},
 * a role without REPLICATION, a table that matches nothing, lacks a primary key (and a {@code keys}
 * entry), cannot be read or has a column type without a mapping, or a publication the role cannot
 * create. See the {@linkplain dev.sluice.connectors.cdc package documentation} for the records
 * written.
 */
public final class PostgresCdcSourceFactory implements SourceFactory {

    public static final String IDENTIFIER = "postgres-cdc";

    /** What the heartbeat writes so that an idle capture still moves through the WAL. */
    static final String HEARTBEAT_PREFIX = "sluice-heartbeat";

    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");

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
        return Set.of(
                PORT,
                TOPIC_PREFIX,
                KEYS,
                SLOT_NAME,
                PUBLICATION_NAME,
                HEARTBEAT_INTERVAL,
                SNAPSHOT_MODE);
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
        String slot =
                options.getOptional(SLOT_NAME)
                        .orElse(CdcPlanning.identifier("sluice_", context, 63));
        if (!SLOT.matcher(slot).matches()) {
            throw new ConfigValidationException(
                    options.pointer(SLOT_NAME),
                    options.pointer(SLOT_NAME)
                            + ": '"
                            + slot
                            + "' is not a valid replication slot name (1-63 of a-z 0-9 _)");
        }
        boolean managedPublication = !options.contains(PUBLICATION_NAME);
        String publication = options.getOptional(PUBLICATION_NAME).orElse(slot);
        if (publication.isBlank() || publication.length() > 63) {
            throw new ConfigValidationException(
                    options.pointer(PUBLICATION_NAME),
                    options.pointer(PUBLICATION_NAME) + ": expected 1-63 characters");
        }
        Map<String, List<String>> keys = CdcPlanning.keys(options, KEYS);

        PostgresCatalog.Inspection inspection;
        try {
            inspection =
                    PostgresCatalog.inspect(settings, options.get(TABLES), keys, slot, publication);
        } catch (CaptureProblem p) {
            throw CdcPlanning.invalid(options, p);
        }
        List<TableDefinition> tables = inspection.tables();
        List<CdcPlannedSource.PlannedTable> planned =
                CdcPlanning.planTables(
                        options,
                        SqlDialect.POSTGRES,
                        tables,
                        inspection.entryOfTable(),
                        prefix,
                        TOPIC_PREFIX,
                        settings.database() + ".",
                        context.platform().schemaRegistry());

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
        props.put("plugin.name", "pgoutput");
        props.put("database.dbname", settings.database());
        props.put("slot.name", slot);
        props.put("slot.drop.on.stop", "false");
        props.put("publication.name", publication);
        props.put("publication.autocreate.mode", "disabled");
        props.put("table.include.list", CdcPlanning.includeList(tables));
        props.put("interval.handling.mode", "string");
        props.put("hstore.handling.mode", "json");
        props.put("include.unknown.datatypes", "false");
        props.put(
                "heartbeat.action.query",
                "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_PREFIX + "', '')");
        props.put("message.prefix.exclude.list", HEARTBEAT_PREFIX);
        String keyColumns = CdcPlanning.messageKeyColumns(tables, keys);
        if (keyColumns != null) {
            props.put("message.key.columns", keyColumns);
        }

        return new CdcPlannedSource(
                context.nodeId(),
                context.pipelineName() + "/" + context.nodeId(),
                ConnectorKind.POSTGRES,
                props,
                planned,
                context.platform().kafkaBootstrapServers(),
                context.platform().kafkaClientProperties(),
                context.delivery(),
                new CdcPlannedSource.DatabaseHooks() {
                    @Override
                    public void prepare() {
                        PostgresCatalog.prepare(settings, tables, publication);
                    }

                    @Override
                    public void decommission() {
                        PostgresCatalog.dropSlot(settings, slot, Duration.ofSeconds(30));
                        if (managedPublication) {
                            PostgresCatalog.dropPublication(settings, publication);
                        }
                    }
                },
                context.platform().schemaRegistryUrl(),
                inspection.walPosition().isPresent()
                        ? LogPosition.lsn(inspection.walPosition().getAsLong())
                        : null);
    }
}
