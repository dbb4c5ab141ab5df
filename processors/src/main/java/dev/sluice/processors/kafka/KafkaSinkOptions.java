package dev.sluice.processors.kafka;

import dev.sluice.sdk.config.ConfigOption;

/** The options of the {@code kafka} sink, as users write them in a sink's {@code config}. */
public final class KafkaSinkOptions {

    public static final ConfigOption<String> TOPIC =
            ConfigOption.key("topic")
                    .stringType()
                    .withDescription("the topic to write; its value schema goes to <topic>-value");

    public static final ConfigOption<Integer> PARTITIONS =
            ConfigOption.key("partitions")
                    .intType()
                    .defaultValue(1)
                    .withDescription("partitions when Sluice creates the topic");

    public static final ConfigOption<Boolean> COMPACT =
            ConfigOption.key("compact")
                    .booleanType()
                    .withDescription(
                            "create the topic compacted (default: true for changelog outputs)");

    private KafkaSinkOptions() {}
}
