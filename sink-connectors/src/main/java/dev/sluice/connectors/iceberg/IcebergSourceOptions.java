package dev.sluice.connectors.iceberg;

import dev.sluice.sdk.config.ConfigOption;

/**
 * The options of the {@code iceberg} batch source, as users write them in a source's {@code
 * config}. Which rows are read: by default the table's current snapshot when the run starts; or one
 * of {@code snapshotId}, {@code asOfTimestamp}, or {@code startSnapshotId} with an optional {@code
 * endSnapshotId}.
 */
public final class IcebergSourceOptions {

    public static final ConfigOption<String> TABLE =
            ConfigOption.key("table")
                    .stringType()
                    .withDescription(
                            "the table as namespace.name, e.g. \"studio.released_movies\", in the"
                                    + " platform's Iceberg catalog; it must exist");

    public static final ConfigOption<Long> SNAPSHOT_ID =
            ConfigOption.key("snapshotId")
                    .longType()
                    .withDescription("read the table as of this snapshot (time travel)");

    public static final ConfigOption<Long> AS_OF_TIMESTAMP =
            ConfigOption.key("asOfTimestamp")
                    .longType()
                    .withDescription(
                            "read the table as of the newest snapshot committed at or before this"
                                    + " time (epoch milliseconds)");

    public static final ConfigOption<Long> START_SNAPSHOT_ID =
            ConfigOption.key("startSnapshotId")
                    .longType()
                    .withDescription(
                            "read only the rows appended after this snapshot (exclusive), up to"
                                    + " endSnapshotId or the current snapshot");

    public static final ConfigOption<Long> END_SNAPSHOT_ID =
            ConfigOption.key("endSnapshotId")
                    .longType()
                    .withDescription(
                            "with startSnapshotId: the last snapshot (inclusive) whose appended"
                                    + " rows are read; default the current snapshot");

    private IcebergSourceOptions() {}
}
