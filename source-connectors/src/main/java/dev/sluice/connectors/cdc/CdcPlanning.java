package dev.sluice.connectors.cdc;

import dev.sluice.connectors.cdc.catalog.CaptureProblem;
import dev.sluice.connectors.cdc.catalog.TableSelector;
import dev.sluice.connectors.cdc.schema.DerivedTableSchema;
import dev.sluice.connectors.cdc.schema.SqlDialect;
import dev.sluice.connectors.cdc.schema.TableDefinition;
import dev.sluice.connectors.cdc.schema.TableSchemaDerivation;
import dev.sluice.connectors.cdc.schema.UnsupportedColumnTypeException;
import dev.sluice.schemas.registry.RegisteredSchema;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.NodeContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What planning {@code postgres-cdc} and {@code mysql-cdc} have in common. */
final class CdcPlanning {
    private static final Logger LOG = LoggerFactory.getLogger(CdcPlanning.class);
    private static final Pattern TOPIC_CHARS = Pattern.compile("[^a-zA-Z0-9._-]");
    private static final int MAX_TOPIC_LENGTH = 249;

    private CdcPlanning() {}

    /** A capture problem as the 400 the controller answers, pointing at the config key at fault. */
    static ConfigValidationException invalid(NodeOptions options, CaptureProblem problem) {
        return new ConfigValidationException(
                options.pointer() + "/" + problem.configPath(), problem.getMessage(), problem);
    }

    /** The {@code keys} option: key columns per table. */
    static Map<String, List<String>> keys(
            NodeOptions options, ConfigOption<Map<String, Object>> keys) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : options.getOptional(keys).orElse(Map.of()).entrySet()) {
            String pointer = options.pointer(keys) + "/" + NodeOptions.escape(e.getKey());
            if (!(e.getValue() instanceof List)) {
                throw new ConfigValidationException(
                        pointer, pointer + ": expected an array of column names");
            }
            List<String> columns = new ArrayList<>();
            for (Object column : (List<?>) e.getValue()) {
                if (!(column instanceof String) || ((String) column).isEmpty()) {
                    throw new ConfigValidationException(
                            pointer,
                            pointer + ": expected an array of column names, got " + column);
                }
                columns.add((String) column);
            }
            out.put(e.getKey(), columns);
        }
        return out;
    }

    /** The topic prefix: the option, or {@code <pipeline>.<source id>}. */
    static String topicPrefix(NodeContext context, ConfigOption<String> option) {
        NodeOptions options = context.options();
        String prefix =
                options.getOptional(option).orElse(context.pipelineName() + "." + context.nodeId());
        if (prefix.isBlank() || TOPIC_CHARS.matcher(prefix).find()) {
            throw new ConfigValidationException(
                    options.pointer(option),
                    options.pointer(option)
                            + ": '"
                            + prefix
                            + "' is not a valid topic prefix (letters, digits, . _ -)");
        }
        return prefix;
    }

    /** {@code prefix.a.b} with characters Kafka does not allow in topic names replaced by _. */
    static String topic(String prefix, String a, String b) {
        return prefix
                + "."
                + TOPIC_CHARS.matcher(a).replaceAll("_")
                + "."
                + TOPIC_CHARS.matcher(b).replaceAll("_");
    }

    /** Checks a positive duration option. */
    static Duration positive(NodeOptions options, ConfigOption<Duration> option) {
        Duration d = options.get(option);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigValidationException(
                    options.pointer(option),
                    options.pointer(option) + ": expected a positive duration, got " + d);
        }
        return d;
    }

    /** Checks a port option. */
    static int port(NodeOptions options, ConfigOption<Integer> option) {
        int port = options.get(option);
        if (port < 1 || port > 65535) {
            throw new ConfigValidationException(
                    options.pointer(option),
                    options.pointer(option) + ": expected a port between 1 and 65535, got " + port);
        }
        return port;
    }

    /**
     * An identifier unique to the pipeline and source, made of {@code [a-z0-9_]} and at most {@code
     * max} characters (a hash keeps long names unique).
     */
    static String identifier(String prefix, NodeContext context, int max) {
        String raw = prefix + context.pipelineName() + "_" + context.nodeId();
        String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (name.length() <= max) {
            return name;
        }
        CRC32 crc = new CRC32();
        crc.update(raw.getBytes(StandardCharsets.UTF_8));
        String hash = String.format("%08x", crc.getValue());
        return name.substring(0, max - hash.length() - 1) + "_" + hash;
    }

    /**
     * Derives each table's schemas and topic.
     *
     * @param entryOfTable for each table, the index of the {@code tables} entry that selected it
     * @param sourceNamePrefix what {@code __source} puts before {@code qualifiedName()} (the
     *     database for PostgreSQL, nothing for MySQL)
     * @param registry where the topics' registered value schemas are looked up, so that a table's
     *     schema stays compatible with what its topic has (see {@link
     *     TableSchemaDerivation#derive(SqlDialect, TableDefinition, String, Schema)}); {@code null}
     *     to derive from the catalog alone
     */
    static List<CdcPlannedSource.PlannedTable> planTables(
            NodeOptions options,
            SqlDialect dialect,
            List<TableDefinition> tables,
            Map<String, Integer> entryOfTable,
            String prefix,
            ConfigOption<String> prefixOption,
            String sourceNamePrefix,
            SchemaRegistryClient registry) {
        List<CdcPlannedSource.PlannedTable> planned = new ArrayList<>();
        Map<String, String> tableOfTopic = new HashMap<>();
        for (TableDefinition table : tables) {
            String qualified = table.qualifiedName();
            String path = "tables/" + entryOfTable.getOrDefault(qualified, 0);
            String topic = topic(prefix, table.schema().orElse(table.database()), table.table());
            if (topic.length() > MAX_TOPIC_LENGTH) {
                throw new ConfigValidationException(
                        options.pointer(prefixOption),
                        "topic '"
                                + topic
                                + "' of table "
                                + qualified
                                + " is longer than Kafka's "
                                + MAX_TOPIC_LENGTH
                                + " characters; choose a shorter topic.prefix");
            }
            String clash = tableOfTopic.putIfAbsent(topic, qualified);
            if (clash != null) {
                throw new ConfigValidationException(
                        options.pointer() + "/" + path,
                        "tables "
                                + clash
                                + " and "
                                + qualified
                                + " would both write topic "
                                + topic);
            }
            DerivedTableSchema schema;
            try {
                schema =
                        TableSchemaDerivation.derive(
                                dialect, table, topic, registered(registry, topic + "-value"));
            } catch (UnsupportedColumnTypeException e) {
                throw new ConfigValidationException(
                        options.pointer() + "/" + path,
                        "table " + qualified + ": " + e.getMessage(),
                        e);
            } catch (IllegalArgumentException e) {
                throw new ConfigValidationException(
                        options.pointer() + "/" + path, e.getMessage(), e);
            }
            planned.add(
                    new CdcPlannedSource.PlannedTable(schema, topic, sourceNamePrefix + qualified));
        }
        return planned;
    }

    /**
     * The latest value schema registered under {@code subject}, or {@code null} when there is none
     * or the registry cannot tell (provisioning then reports the registry's problem).
     */
    private static Schema registered(SchemaRegistryClient registry, String subject) {
        if (registry == null) {
            return null;
        }
        try {
            Optional<RegisteredSchema> latest = registry.getLatest(subject);
            return latest.map(RegisteredSchema::schema).orElse(null);
        } catch (SchemaRegistryException | IllegalArgumentException e) {
            LOG.warn(
                    "could not look up the registered schema of {}; deriving it from the catalog"
                            + " alone: {}",
                    subject,
                    e.getMessage());
            return null;
        }
    }

    /** Debezium's {@code table.include.list}: exactly the planned tables. */
    static String includeList(List<TableDefinition> tables) {
        StringJoiner joiner = new StringJoiner(",");
        tables.forEach(t -> joiner.add(TableSelector.exactRegex(t.qualifiedName())));
        return joiner.toString();
    }

    /**
     * Debezium's {@code message.key.columns} for tables whose key the user named (so an update of
     * those columns becomes a delete and an insert, as for a primary key), or {@code null}.
     */
    static String messageKeyColumns(List<TableDefinition> tables, Map<String, List<String>> keys) {
        if (keys.isEmpty()) {
            return null;
        }
        StringJoiner joiner = new StringJoiner(";");
        for (TableDefinition t : tables) {
            boolean named =
                    keys.keySet().stream()
                            .anyMatch(
                                    k ->
                                            k.equalsIgnoreCase(t.qualifiedName())
                                                    || k.equalsIgnoreCase(t.table()));
            if (named) {
                joiner.add(
                        TableSelector.exactRegex(t.qualifiedName())
                                + ":"
                                + String.join(",", t.keyColumns()));
            }
        }
        return joiner.length() == 0 ? null : joiner.toString();
    }

    /** Debezium properties both connectors share. */
    static Map<String, String> commonDebeziumProperties(
            String engineName,
            String hostname,
            int port,
            String username,
            String password,
            String snapshotMode,
            Duration heartbeat) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", engineName);
        p.put("topic.prefix", engineName);
        p.put("database.hostname", hostname);
        p.put("database.port", String.valueOf(port));
        p.put("database.user", username);
        p.put("database.password", password);
        p.put("snapshot.mode", "never".equals(snapshotMode) ? "no_data" : "initial");
        p.put("decimal.handling.mode", "precise");
        p.put("time.precision.mode", "adaptive_time_microseconds");
        p.put("binary.handling.mode", "bytes");
        p.put("tombstones.on.delete", "false");
        p.put("provide.transaction.metadata", "false");
        p.put("heartbeat.interval.ms", String.valueOf(heartbeat.toMillis()));
        p.put("errors.max.retries", "0");
        // Each column's database type travels with the change, so a table whose columns change
        // while it is captured gets the Avro types a new plan would derive from the catalog.
        p.put("column.propagate.source.type", ".*");
        return p;
    }
}
