package dev.sluice.connectors.iceberg;

import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.OptionType;
import java.time.Duration;
import java.util.List;

/** The options of the {@code iceberg} sink, as users write them in a sink's {@code config}. */
public final class IcebergSinkOptions {

    public static final ConfigOption<String> TABLE =
            ConfigOption.key("table")
                    .stringType()
                    .withDescription(
                            "the table as namespace.name, e.g. \"studio.released_movies\", in the"
                                    + " platform's Iceberg catalog; created when missing");

    public static final ConfigOption<String> WRITE =
            ConfigOption.key("write")
                    .type(OptionType.oneOf("append", "upsert", "overwrite"))
                    .withDescription(
                            "append (every record a new row), upsert (by key: format v2 with"
                                    + " equality deletes) or overwrite (batch pipelines: replace"
                                    + " the partitions written); default upsert for changelog"
                                    + " inputs, append otherwise");

    public static final ConfigOption<List<String>> PARTITION_BY =
            ConfigOption.key("partitionBy")
                    .type(OptionType.STRING_LIST)
                    .withDescription(
                            "partitioning of a table Sluice creates: column names (identity) or"
                                    + " year(col), month(col), day(col), hour(col), bucket(N, col),"
                                    + " truncate(N, col)");

    public static final ConfigOption<List<String>> KEY =
            ConfigOption.key("key")
                    .type(OptionType.STRING_LIST)
                    .withDescription(
                            "the key columns of write=upsert; default: the fields of the input's"
                                    + " key schema");

    public static final ConfigOption<Duration> COMMIT_INTERVAL =
            ConfigOption.key("commitInterval")
                    .type(OptionType.DURATION)
                    .withDescription(
                            "commit at most this often (at the first checkpoint after it has"
                                    + " elapsed); default: every checkpoint");

    public static final ConfigOption<Duration> SNAPSHOT_RETENTION =
            ConfigOption.key("snapshotRetention")
                    .type(OptionType.DURATION)
                    .withDescription(
                            "expire snapshots older than this, from the sink's job after its"
                                    + " commits; default: keep all");

    private IcebergSinkOptions() {}
}
