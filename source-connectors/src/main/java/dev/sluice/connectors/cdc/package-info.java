/**
 * Change data capture sources: {@code postgres-cdc} and {@code mysql-cdc} (MySQL and MariaDB).
 *
 * <h2>How it runs</h2>
 *
 * Debezium's embedded engine (3.5, asynchronous engine) runs inside a Flink (FLIP-27) source with
 * one split and parallelism 1. Debezium's position and, for MySQL/MariaDB, its schema history are
 * Flink state; the database is told a position is done (the PostgreSQL slot's confirmed LSN moves)
 * only when a checkpoint holding it completes. Each change is encoded at the capture and written by
 * a transactional Kafka sink to its table's topic, which is compacted and has one partition; the
 * same job carries the first table's decoded records to the pipeline's processors. A restored job
 * continues after the last change of its checkpoint: nothing lost, nothing written twice.
 *
 * <h2>Records</h2>
 *
 * Topic {@code <topic.prefix>.<schema>.<table>} (PostgreSQL) or {@code
 * <topic.prefix>.<database>.<table>} (MySQL/MariaDB), {@code topic.prefix} defaulting to {@code
 * <pipeline>.<source id>}; characters Kafka does not allow become {@code _}. The key is an Avro
 * record of the key columns (the primary key, or the {@code keys} columns) registered as {@code
 * <topic>-key}; the value is an Avro record registered as {@code <topic>-value}: the table's
 * columns (nullable columns as {@code ["null", T]}), then
 *
 * <ul>
 *   <li>{@code __op} (string): {@code r} snapshot read, {@code c} insert, {@code u} update, {@code
 *       d} delete (carrying the last row image; a tombstone with the same key follows);
 *   <li>{@code __event_id} (string): 32 hex digits, unique per change and stable across retries — a
 *       SHA-256 over the table, operation, key and the change's log position (the LSN; binlog file,
 *       position and row), or for snapshot reads the row's content;
 *   <li>{@code __ts_ms} (long): commit time at the source (snapshot reads: read time);
 *   <li>{@code __source} (string): {@code <database>.<schema>.<table>@<LSN>} (PostgreSQL) or {@code
 *       <database>.<table>@<binlog file>:<position>:<row>};
 *   <li>{@code __before} (nullable record of the columns, all nullable): the row before an update;
 *       {@code null} for other operations.
 * </ul>
 *
 * <h2>Type mapping</h2>
 *
 * Derived by {@link dev.sluice.connectors.cdc.schema.TableSchemaDerivation} from the catalog; the
 * Debezium settings in brackets make the emitted values fit it.
 *
 * <table>
 *   <caption>PostgreSQL</caption>
 *   <tr><th>column type</th><th>Avro</th></tr>
 *   <tr><td>smallint, integer</td><td>int</td></tr>
 *   <tr><td>bigint, oid</td><td>long</td></tr>
 *   <tr><td>real / double precision</td><td>float / double</td></tr>
 *   <tr><td>numeric(p, s)</td><td>bytes, decimal(p, s) [decimal.handling.mode=precise]</td></tr>
 *   <tr><td>numeric without precision</td><td>string (plain decimal text)</td></tr>
 *   <tr><td>money</td><td>bytes, decimal(19, 2)</td></tr>
 *   <tr><td>boolean, bit(1)</td><td>boolean</td></tr>
 *   <tr><td>text, varchar, char, name, citext, uuid, enum types, inet, cidr, macaddr, ltree</td>
 *       <td>string</td></tr>
 *   <tr><td>json, jsonb, xml, hstore</td><td>string (JSON text) [hstore.handling.mode=json]</td></tr>
 *   <tr><td>bytea, bit(n), varbit</td><td>bytes [binary.handling.mode=bytes]</td></tr>
 *   <tr><td>date</td><td>int, date</td></tr>
 *   <tr><td>time</td><td>long, time-micros [time.precision.mode=adaptive_time_microseconds]</td></tr>
 *   <tr><td>timetz</td><td>string (ISO-8601 time with offset)</td></tr>
 *   <tr><td>timestamp</td><td>long, local-timestamp-micros</td></tr>
 *   <tr><td>timestamptz</td><td>long, timestamp-micros (UTC instant)</td></tr>
 *   <tr><td>interval</td><td>string, ISO-8601 duration [interval.handling.mode=string]</td></tr>
 *   <tr><td>arrays of int2/int4/int8/float4/float8/bool/text/varchar/char/name/citext/uuid/json
 *       </td><td>array of the nullable element type</td></tr>
 * </table>
 *
 * <table>
 *   <caption>MySQL / MariaDB</caption>
 *   <tr><th>column type</th><th>Avro</th></tr>
 *   <tr><td>tinyint (also tinyint(1)), smallint, mediumint (signed or unsigned), year</td>
 *       <td>int</td></tr>
 *   <tr><td>int / int unsigned</td><td>int / long</td></tr>
 *   <tr><td>bigint / bigint unsigned</td><td>long / bytes, decimal(20, 0)
 *       [bigint.unsigned.handling.mode=precise]</td></tr>
 *   <tr><td>float / double, real</td><td>float / double</td></tr>
 *   <tr><td>decimal(p, s)</td><td>bytes, decimal(p, s)</td></tr>
 *   <tr><td>bit(1) / bit(n)</td><td>boolean / bytes</td></tr>
 *   <tr><td>char, varchar, text types, enum, set, json</td><td>string</td></tr>
 *   <tr><td>binary, varbinary, blob types</td><td>bytes</td></tr>
 *   <tr><td>date</td><td>int, date</td></tr>
 *   <tr><td>time</td><td>long, time-micros</td></tr>
 *   <tr><td>datetime</td><td>long, local-timestamp-micros</td></tr>
 *   <tr><td>timestamp</td><td>long, timestamp-micros (UTC instant)</td></tr>
 * </table>
 *
 * Other types (geometry, ranges, composite types, arrays of other types, ...) are refused at plan
 * time with the column and type named.
 *
 * <h2>Other Debezium settings</h2>
 *
 * {@code tombstones.on.delete=false} (Sluice writes its own tombstone after each delete), {@code
 * provide.transaction.metadata=false}, {@code snapshot.mode} {@code initial} or {@code no_data}
 * (for {@code "never"}), {@code heartbeat.interval.ms} from {@code heartbeat.interval}, {@code
 * errors.max.retries=0}: Debezium must not restart its task by itself, since a restarted task
 * resumes from the last acknowledged position and would repeat changes already handed to Flink;
 * instead the job fails with the cause and Flink's restart strategy restores the last checkpoint.
 * PostgreSQL: {@code plugin.name=pgoutput}, {@code publication.autocreate.mode=disabled} (Sluice
 * creates the publication when provisioning), {@code slot.drop.on.stop=false}, and a heartbeat
 * action {@code SELECT pg_logical_emit_message(false, 'sluice-heartbeat', '')} (excluded from the
 * records) so that an idle capture still moves its position and the slot lets WAL go.
 * MySQL/MariaDB: {@code snapshot.locking.mode=none} (least privilege: no RELOAD or LOCK TABLES),
 * the schema history kept in Flink state and limited to captured tables.
 *
 * <h2>Schema changes</h2>
 *
 * A table's columns may change while it is captured (a column added or dropped, a type widened such
 * as {@code int} to {@code bigint}, a column made nullable), also while the pipeline is stopped or
 * the platform is down. Every change arrives, in log order, none twice:
 *
 * <ul>
 *   <li>Debezium gives each change the row's columns as they were when it was made (PostgreSQL:
 *       from the WAL's relation messages; MySQL/MariaDB: from the schema history kept in Flink
 *       state). The capture remembers, per table and per such row shape (Debezium's Connect schema,
 *       compared by identity: one comparison per change), which value schema version it writes
 *       with.
 *   <li>A new row shape is compared with the table's current version: the same columns, each of a
 *       type the field holds (a {@code long} field holds an {@code int} column) and nullable only
 *       where the field is, fit. Otherwise the table's next version is derived with the plan's type
 *       mapping (Debezium passes each column's database type along: {@code
 *       column.propagate.source.type}): the row's columns in table order, fields kept as they were
 *       unless the type had to widen or the column became nullable, new columns nullable with
 *       default {@code null}, dropped columns left out. Versions never narrow a type or make a
 *       field non-null, so under the default BACKWARD level each one reads what was written before.
 *       It is registered under {@code <topic>-value} ({@code <topic>-key} too when a key column's
 *       type changed) and every later change of the table is written with it.
 *   <li>If the registry refuses the version (incompatible under the subject's level, e.g. a column
 *       retyped from {@code int} to {@code text}), the job fails with the table, the changes, the
 *       subject, the topic and the registry's reason. A dropped key column fails it too.
 *   <li>The plan records the database's log position before reading the catalog. Changes made
 *       before it (replayed after a restore with a newer plan, e.g. DDL while the pipeline was
 *       stopped) are written with the planned schema: columns they lack are {@code null}, columns
 *       the plan no longer has are left out; they never register a version.
 *   <li>Planning keeps a table's schema compatible with its topic's latest version: a column that
 *       version lacks or has as nullable is nullable whatever the catalog says (so a {@code NOT
 *       NULL} column added while stopped still gives a BACKWARD-compatible version, and a new plan
 *       derives exactly what the capture registered).
 *   <li>The records of the same job's processors and sinks keep the planned schema: a value of a
 *       newer version is projected onto it by field name (new columns left out, dropped nullable
 *       ones {@code null}, wider numbers narrowed when they fit); one that cannot be (a dropped
 *       non-null column, {@code null} in a column planned as non-null, a number too wide) is a dead
 *       letter naming the column. The controller sees the topic's new version and re-plans the
 *       pipeline from a savepoint; the restored state (Debezium's position and history) does not
 *       depend on any schema.
 * </ul>
 *
 * <h2>Limits</h2>
 *
 * A failure during the initial snapshot restarts the snapshot (Debezium snapshots are not
 * resumable), but rows already written are not written again: while the snapshot is in progress the
 * checkpoint holds a 64-bit hash of the {@code __event_id} of every snapshot row written so far
 * (about 8 to 16 bytes per row; dropped once the snapshot is complete), and the restarted snapshot
 * skips rows whose id it holds. A row changed meanwhile has a new id and is written again as a
 * snapshot read with its new content (its streamed change is not replayed: the snapshot restarts
 * from a new position). Two different snapshot rows with the same 64-bit hash (odds about
 * 10<sup>-7</sup> for 10 million rows) would lose the second after such a restart. New tables
 * matching a {@code tables} pattern are picked up when the pipeline is applied again. Values of
 * columns dropped while the pipeline was stopped are not written for the changes made before the
 * drop (the restored plan no longer has the column). A type change the registry refuses stops the
 * pipeline until the topic's compatibility level allows it or the pipeline is applied with another
 * topic. Partitioned PostgreSQL tables are not captured. Restoring a PostgreSQL capture from a
 * savepoint older than its last completed checkpoint is not supported: the slot has already
 * released that WAL.
 */
package dev.sluice.connectors.cdc;
