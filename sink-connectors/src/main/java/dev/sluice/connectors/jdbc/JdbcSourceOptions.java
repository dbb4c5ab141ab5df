package dev.sluice.connectors.jdbc;

import dev.sluice.sdk.config.ConfigOption;

/**
 * The options of the {@code jdbc} batch source, as users write them in a source's {@code config}.
 */
public final class JdbcSourceOptions {

    public static final ConfigOption<String> URL =
            ConfigOption.key("url")
                    .stringType()
                    .withDescription(
                            "jdbc:postgresql://host:port/db, jdbc:mariadb://host:port/db or"
                                    + " jdbc:mysql://host:port/db (MariaDB's driver)");

    public static final ConfigOption<String> USERNAME =
            ConfigOption.key("username").stringType().withDescription("the database user");

    public static final ConfigOption<String> PASSWORD =
            ConfigOption.key("password")
                    .stringType()
                    .withDescription("the user's password, as a reference: ${env:NAME}");

    public static final ConfigOption<String> TABLE =
            ConfigOption.key("table")
                    .stringType()
                    .withDescription(
                            "the table (or view) to read, as name or schema.name (database.name for"
                                    + " MariaDB/MySQL); set this or 'query'");

    public static final ConfigOption<String> QUERY =
            ConfigOption.key("query")
                    .stringType()
                    .withDescription(
                            "one SELECT whose result rows are read (it runs as a subquery);"
                                    + " set this or 'table'");

    public static final ConfigOption<String> SPLIT_COLUMN =
            ConfigOption.key("splitColumn")
                    .stringType()
                    .withDescription(
                            "a numeric column of the result: the read is split into as many"
                                    + " ranges between its MIN and MAX as the pipeline's"
                                    + " parallelism, read in parallel (rows where it is NULL are"
                                    + " read by the first range); default: one query");

    public static final ConfigOption<Integer> FETCH_SIZE =
            ConfigOption.key("fetchSize")
                    .intType()
                    .defaultValue(1000)
                    .withDescription("rows fetched from the database per round trip");

    private JdbcSourceOptions() {}
}
