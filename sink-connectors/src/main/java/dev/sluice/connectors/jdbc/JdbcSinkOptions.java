package dev.sluice.connectors.jdbc;

import dev.sluice.sdk.config.ConfigOption;

/** The options of the {@code jdbc} sink, as users write them in a sink's {@code config}. */
public final class JdbcSinkOptions {

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
                            "the table to upsert into, as name or schema.name (database.name for"
                                    + " MariaDB/MySQL); it must exist and have a primary key");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOption.key("batchSize")
                    .intType()
                    .defaultValue(500)
                    .withDescription(
                            "changed rows buffered before a write; the buffer is also written at"
                                    + " every checkpoint");

    private JdbcSinkOptions() {}
}
