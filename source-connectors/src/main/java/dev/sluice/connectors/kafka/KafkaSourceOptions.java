package dev.sluice.connectors.kafka;

import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.OptionType;
import java.util.Map;

/** The options of the {@code kafka} source, as users write them in a source's {@code config}. */
public final class KafkaSourceOptions {

    public static final ConfigOption<String> TOPIC =
            ConfigOption.key("topic")
                    .stringType()
                    .withDescription("the topic to read; its value schema is <topic>-value");

    public static final ConfigOption<String> STARTING_OFFSETS =
            ConfigOption.key("startingOffsets")
                    .stringType()
                    .defaultValue("earliest")
                    .withDescription(
                            "where a new pipeline starts: earliest, latest, or an epoch-millis"
                                    + " timestamp");

    public static final ConfigOption<Boolean> UPSERT =
            ConfigOption.key("upsert")
                    .booleanType()
                    .withDescription(
                            "the topic holds the latest value per key and tombstones delete");

    public static final ConfigOption<Map<String, Object>> EVENT_TIME =
            ConfigOption.key("eventTime")
                    .type(OptionType.OBJECT)
                    .withDescription(
                            "event time for windows: {\"field\": \"<long or timestamp field>\","
                                    + " \"maxOutOfOrderness\": \"PT5S\", \"idleTimeout\":"
                                    + " \"PT30S\"}");

    public static final ConfigOption<String> STOPPING_OFFSETS =
            ConfigOption.key("stoppingOffsets")
                    .stringType()
                    .withDescription(
                            "batch pipelines only: where a run stops reading: latest (the end of"
                                    + " each partition when the run starts; the default) or an"
                                    + " epoch-millis timestamp");

    private KafkaSourceOptions() {}
}
