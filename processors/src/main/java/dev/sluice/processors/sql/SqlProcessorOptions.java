package dev.sluice.processors.sql;

import dev.sluice.sdk.config.ConfigOption;

/**
 * The options of the {@code sql} processor, as users write them in a processor's {@code config}.
 */
public final class SqlProcessorOptions {

    public static final ConfigOption<String> QUERY =
            ConfigOption.key("query")
                    .stringType()
                    .withDescription(
                            "one Flink SQL query (SELECT, WITH, VALUES or UNION) over the"
                                    + " processor's inputs, each input a table named by its id");

    private SqlProcessorOptions() {}
}
