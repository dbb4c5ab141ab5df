/**
 * The {@code iceberg} sink (a pipeline's stream into a table of the platform's Iceberg catalog) and
 * batch source (a table's rows into a batch pipeline).
 *
 * <h2>Config</h2>
 *
 * <ul>
 *   <li>{@code table} (required): {@code namespace.name}. In the embedded platform the catalog is a
 *       Hadoop catalog at {@code <data-dir>/warehouse}, so {@code db.t} lives in {@code
 *       <data-dir>/warehouse/db/t}.
 *   <li>{@code write}: {@code append} (every record a row), {@code upsert} (rows replaced and
 *       deleted by key, with equality deletes; format v2) or {@code overwrite} (batch pipelines
 *       only: the partitions a run writes replace what they held; refused for changelog inputs at
 *       plan time and for streaming jobs when the job is built). Default: {@code upsert} for
 *       changelog inputs, {@code append} otherwise.
 *   <li>{@code key}: the key columns of {@code upsert}; default the fields of the input's key
 *       schema (CDC primary keys, aggregate keys). Required when the input has no key schema.
 *   <li>{@code partitionBy}: for a table Sluice creates: columns (identity partitions) and the
 *       transforms {@code year(c)}, {@code month(c)}, {@code day(c)}, {@code hour(c)}, {@code
 *       bucket(N, c)}, {@code truncate(N, c)}. In upsert mode only key columns (an update must find
 *       the old row in its partition). An existing table keeps its partitioning; a different {@code
 *       partitionBy} is refused.
 *   <li>{@code commitInterval} (ISO-8601): commit at most this often; default every checkpoint.
 *       Records wait in checkpointed state in front of the writer ({@link
 *       dev.sluice.connectors.iceberg.CommitIntervalBuffer}), so exactly-once holds.
 *   <li>{@code snapshotRetention} (ISO-8601): snapshots older than this are expired by Iceberg's
 *       post-commit maintenance ({@code IcebergSink.Builder#expireSnapshots}) running in the sink's
 *       own job, checked at most every retention (capped at an hour); the newest snapshot always
 *       stays.
 * </ul>
 *
 * <h2>Rows</h2>
 *
 * In {@code upsert} mode the table holds the row's own fields plus {@code __ts_ms} (the change's
 * commit time at the source); other {@code __*} metadata ({@code __op}, {@code __event_id}, {@code
 * __source}) is dropped: the table is the current state. A value with {@code __op = "d"} deletes
 * its key, {@code r}/{@code c}/{@code u} upsert, and a tombstone deletes by key (decoded with the
 * key schema) unless the values have {@code __op}, in which case it follows a {@code d} and is
 * skipped. In {@code append} and {@code overwrite} mode every field, metadata included, is a
 * column, and tombstones are skipped. Records the table cannot take (null keys, decimals beyond the
 * column's precision, undecodable keys) become dead letters. Types map as {@link
 * dev.sluice.connectors.iceberg.AvroIcebergTypes} says.
 *
 * <h2>Tables</h2>
 *
 * A missing table is created at deploy time (never while a pipeline is only validated) from the
 * input's schema: format v2, top-level columns optional except the key columns (required, and the
 * schema's identifier fields). An existing table is checked when the pipeline is planned (a
 * required column no field feeds, a type that cannot hold a field, a nullable field for a required
 * column: 400 naming the field); at deploy time fields it lacks are added as optional columns and
 * narrower columns widened ({@link dev.sluice.connectors.iceberg.SchemaEvolution}).
 *
 * <h2>Commits</h2>
 *
 * Iceberg's {@code IcebergSink} (Flink Sink V2) writes data and delete files and commits them at
 * each checkpoint, exactly once: its committer keeps the committables of a checkpoint in Flink
 * state and, after a restart, skips what the table's snapshots show as committed (Flink job id,
 * operator id and checkpoint id are in each snapshot's summary). Each snapshot's summary also
 * carries {@code sluice.pipeline} and {@code sluice.node}. Operator uids derive from the node
 * ({@code iceberg-changes}, {@code iceberg-commit-interval}, {@code iceberg-rows}, and the writer's
 * {@code iceberg-writer} suffix), so savepoints survive redeploys.
 *
 * <h2>Compaction</h2>
 *
 * Streaming commits make small files, and upserts make equality-delete files that readers merge on
 * every scan. Compact from a batch job with Iceberg's Flink action:
 *
 * <pre>{@code
 * Table table = catalogLoader.loadCatalog().loadTable(TableIdentifier.parse("db.t"));
 * org.apache.iceberg.flink.actions.Actions.forTable(env, table)
 *         .rewriteDataFiles()
 *         .targetSizeInBytes(128L * 1024 * 1024)
 *         .execute();
 * }</pre>
 *
 * (or, in a long-running job, Iceberg's {@code TableMaintenance} with {@code RewriteDataFiles}). A
 * larger {@code commitInterval} means fewer, larger files to begin with.
 *
 * <h2>The {@code iceberg} batch source</h2>
 *
 * {@link dev.sluice.connectors.iceberg.IcebergSourceFactory} reads a table of the platform's
 * catalog once per run of a batch pipeline (a streaming pipeline is refused at {@code /config})
 * with Iceberg's FLIP-27 {@code IcebergSource} (bounded; one split per file task, at the pipeline's
 * parallelism; delete files applied). Config: {@code table} ({@code namespace.name}; a missing
 * table is a 400 at {@code /config/table}) and at most one way to choose the rows:
 *
 * <ul>
 *   <li>nothing: the current snapshot when the run starts;
 *   <li>{@code snapshotId}: the table as of that snapshot;
 *   <li>{@code asOfTimestamp} (epoch ms): the table as of the newest snapshot at or before then;
 *   <li>{@code startSnapshotId} (exclusive) with an optional {@code endSnapshotId} (inclusive,
 *       default the current snapshot): only the rows appended in between (Iceberg's incremental
 *       append scan; snapshots that overwrite or delete are skipped).
 * </ul>
 *
 * Other combinations, and {@code endSnapshotId} alone, are a 400 at the second key; snapshots the
 * table does not have (or a start that is not an ancestor of the end) are a 400 at their key,
 * listing the table's snapshots. Rows are read with the table's schema as it was when the pipeline
 * was planned and become append records without a key, of the Avro schema {@link
 * dev.sluice.connectors.iceberg.IcebergAvroTypes} derives (record {@code Value} in namespace {@code
 * <pipeline>.<node>}); a row that cannot be converted is a dead letter. Operator uids: {@code
 * iceberg-source}, {@code iceberg-records}. {@link dev.sluice.connectors.iceberg.IcebergTables}
 * tells the controller a table's current snapshot, for batch pipelines triggered by new snapshots.
 */
package dev.sluice.connectors.iceberg;
