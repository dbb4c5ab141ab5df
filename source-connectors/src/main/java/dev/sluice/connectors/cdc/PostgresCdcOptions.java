package dev.sluice.connectors.cdc;

import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.OptionType;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The options of the {@code postgres-cdc} source, as users write them in a source's config. */
public final class PostgresCdcOptions {

    public static final ConfigOption<String> HOSTNAME =
            ConfigOption.key("hostname")
                    .stringType()
                    .withDescription("the PostgreSQL server's host");

    public static final ConfigOption<Integer> PORT =
            ConfigOption.key("port").intType().defaultValue(5432).withDescription("its port");

    public static final ConfigOption<String> DATABASE =
            ConfigOption.key("database").stringType().withDescription("the database to capture");

    public static final ConfigOption<String> USERNAME =
            ConfigOption.key("username")
                    .stringType()
                    .withDescription(
                            "a role with REPLICATION that owns the captured tables (or a"
                                    + " superuser)");

    public static final ConfigOption<String> PASSWORD =
            ConfigOption.key("password")
                    .stringType()
                    .withDescription("the role's password, as a secret reference ${env:NAME}");

    public static final ConfigOption<List<String>> TABLES =
            ConfigOption.key("tables")
                    .type(OptionType.STRING_LIST)
                    .withDescription(
                            "tables as schema.table, or regular expressions over schema.table;"
                                    + " one topic each");

    public static final ConfigOption<String> TOPIC_PREFIX =
            ConfigOption.key("topic.prefix")
                    .stringType()
                    .withDescription(
                            "topics are <topic.prefix>.<schema>.<table>; default"
                                    + " <pipeline>.<source id>");

    public static final ConfigOption<Map<String, Object>> KEYS =
            ConfigOption.key("keys")
                    .type(OptionType.OBJECT)
                    .withDescription(
                            "key columns of tables without a primary key: {\"schema.table\":"
                                    + " [\"col\", ...]}");

    public static final ConfigOption<String> SLOT_NAME =
            ConfigOption.key("slot.name")
                    .stringType()
                    .withDescription(
                            "the logical replication slot Sluice creates (and drops when the"
                                    + " pipeline is deleted); default sluice_<pipeline>_<source"
                                    + " id>");

    public static final ConfigOption<String> PUBLICATION_NAME =
            ConfigOption.key("publication.name")
                    .stringType()
                    .withDescription(
                            "the publication to read; default: the slot name, created FOR TABLE"
                                    + " the captured tables and dropped with the pipeline. A"
                                    + " publication you name is extended if it lacks a table, and"
                                    + " never dropped");

    public static final ConfigOption<Duration> HEARTBEAT_INTERVAL =
            ConfigOption.key("heartbeat.interval")
                    .type(OptionType.DURATION)
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "how often the capture moves its position forward when the captured"
                                    + " tables are idle, so PostgreSQL can recycle WAL");

    public static final ConfigOption<String> SNAPSHOT_MODE =
            ConfigOption.key("snapshot.mode")
                    .type(OptionType.oneOf("initial", "never"))
                    .defaultValue("initial")
                    .withDescription(
                            "initial: read the tables' current rows first (op r), then changes;"
                                    + " never: changes from now on only");

    private PostgresCdcOptions() {}
}
