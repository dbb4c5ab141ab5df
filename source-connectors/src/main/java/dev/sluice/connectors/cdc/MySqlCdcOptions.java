package dev.sluice.connectors.cdc;

import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.OptionType;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The options of the {@code mysql-cdc} source (MySQL and MariaDB), as users write them. */
public final class MySqlCdcOptions {

    public static final ConfigOption<String> HOSTNAME =
            ConfigOption.key("hostname").stringType().withDescription("the server's host");

    public static final ConfigOption<Integer> PORT =
            ConfigOption.key("port").intType().defaultValue(3306).withDescription("its port");

    public static final ConfigOption<String> DATABASE =
            ConfigOption.key("database")
                    .stringType()
                    .withDescription("the database of table entries without a database part");

    public static final ConfigOption<String> USERNAME =
            ConfigOption.key("username")
                    .stringType()
                    .withDescription(
                            "a user with REPLICATION SLAVE, REPLICATION CLIENT and SELECT on the"
                                    + " captured tables");

    public static final ConfigOption<String> PASSWORD =
            ConfigOption.key("password")
                    .stringType()
                    .withDescription("the user's password, as a secret reference ${env:NAME}");

    public static final ConfigOption<List<String>> TABLES =
            ConfigOption.key("tables")
                    .type(OptionType.STRING_LIST)
                    .withDescription(
                            "tables as database.table (or table, in database), or regular"
                                    + " expressions over database.table; one topic each");

    public static final ConfigOption<String> TOPIC_PREFIX =
            ConfigOption.key("topic.prefix")
                    .stringType()
                    .withDescription(
                            "topics are <topic.prefix>.<database>.<table>; default"
                                    + " <pipeline>.<source id>");

    public static final ConfigOption<Map<String, Object>> KEYS =
            ConfigOption.key("keys")
                    .type(OptionType.OBJECT)
                    .withDescription(
                            "key columns of tables without a primary key: {\"database.table\":"
                                    + " [\"col\", ...]}");

    public static final ConfigOption<Long> SERVER_ID =
            ConfigOption.key("server.id")
                    .longType()
                    .withDescription(
                            "the replica server id the capture uses; unique among the server's"
                                    + " replicas; default derived from pipeline and source id");

    public static final ConfigOption<Duration> HEARTBEAT_INTERVAL =
            ConfigOption.key("heartbeat.interval")
                    .type(OptionType.DURATION)
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "how often the capture moves its position forward when the captured"
                                    + " tables are idle");

    public static final ConfigOption<String> SNAPSHOT_MODE =
            ConfigOption.key("snapshot.mode")
                    .type(OptionType.oneOf("initial", "never"))
                    .defaultValue("initial")
                    .withDescription(
                            "initial: read the tables' current rows first (op r), then changes;"
                                    + " never: changes from now on only");

    private MySqlCdcOptions() {}
}
