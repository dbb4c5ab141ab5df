/**
 * The {@code sql} processor ({@link dev.sluice.processors.sql.SqlProcessorFactory}): one Flink SQL
 * query over the node's inputs, run by Flink's own planner inside the pipeline's job.
 *
 * <h2>Config</h2>
 *
 * <pre>{@code
 * {"id": "per-minute", "type": "sql", "inputs": ["orders", "customers"],
 *  "config": {"query": "SELECT window_start, window_end, c.name, COUNT(*) AS orders
 *                       FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) o
 *                       JOIN customers c ON o.customer = c.id
 *                       GROUP BY window_start, window_end, c.name"}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code inputs}: one or more; each is a table named by its input id (back-quote ids that are
 *       not plain identifiers: {@code `orders-v1`}). Only the inputs exist: no catalogs,
 *       connectors, user functions or modules.
 *   <li>{@code query}: exactly one query — SELECT, WITH, VALUES, or UNION/INTERSECT/EXCEPT of them
 *       (a trailing ';' is fine). DDL, INSERT, SET, EXPLAIN, EXECUTE, ADD JAR, LOAD MODULE, several
 *       statements and table hints ({@code /*+ OPTIONS(...) *}{@code /}) are refused when the
 *       pipeline is planned, as is anything Flink's planner refuses (unknown tables and columns,
 *       windows without event time, results Avro cannot hold). Errors point at {@code
 *       /processors/<i>/config/query} and give the line and column.
 * </ul>
 *
 * <h2>Inputs as tables</h2>
 *
 * Columns are the value's fields with the types of {@link dev.sluice.processors.sql.AvroFlinkTypes}
 * (a field Flink SQL has no type for is left out, and a query naming it is told why). An append
 * input is an insert-only table. A changelog input is a full changelog: the processor keeps the
 * current row per Kafka key and turns each new value into an insert or an update (before and after
 * rows), a value with {@code __op} = "d" into a delete of the kept row, and a tombstone into a
 * delete when the schema has no {@code __op} (an upsert topic; with {@code __op} the tombstone
 * follows a delete and is skipped). Records without a key are inserts, or deletes of their own
 * image. Records whose value cannot become a row (a missing event time, a null where the schema
 * allows none) go to the dead-letter topic under the node's id; an error inside the query itself
 * fails the job and Flink's restart strategy applies.
 *
 * <p>An input with a declared event time ({@link dev.sluice.sdk.StreamDescriptor#eventTime()}, e.g.
 * the kafka source's {@code eventTime} option) has that field as a {@code TIMESTAMP(3)} rowtime
 * column (epoch milliseconds, or timestamp-millis/-micros, as UTC): the watermark trails the
 * largest time seen by its {@code maxOutOfOrderness} and an input idle for {@code idleTimeout}
 * stops holding it back. Window table functions (TUMBLE, HOP, CUMULATE, SESSION) and interval joins
 * use it; on an input without event time they are refused at plan time.
 *
 * <h2>Output</h2>
 *
 * The value schema is the query's result: a record named {@code <pipeline>_<node id>}, one field
 * per result column (each needs a valid Avro name: alias computed columns, {@code COUNT(*) AS n}),
 * nullable columns as {@code ["null", T]} with default null. The output is an append stream when
 * the result is insert-only (projections and filters of appends, window aggregates, joins of
 * appends), and a changelog otherwise: inserts and update-afters become values, deletes become
 * tombstones under their key, an update-before is dropped when its update-after follows and is a
 * tombstone when none does (the row left a WHERE or HAVING).
 *
 * <p>The output key, in this order:
 *
 * <ol>
 *   <li>An aggregate — the outermost SELECT has a GROUP BY, window aggregates included — is keyed
 *       by its GROUP BY columns (with {@code window_start}/{@code window_end} when grouped by): the
 *       key is an Avro record of those result columns, named {@code <pipeline>_<node id>_key},
 *       registered under {@code sluice.<pipeline>.<node id>-key} and written in Confluent wire
 *       format. Every GROUP BY expression must be a result column.
 *   <li>A plain SELECT from a single input (projections, filters, OVER aggregates; no DISTINCT,
 *       join, subquery, set operation or ORDER BY) passes each record's Kafka key through
 *       unchanged. The processor adds a hidden key column to the select list to do so, and checks
 *       with the planner that every result row stems from one input row.
 *   <li>Anything else (joins, unions, aggregates in subqueries) writes no key. A changelog result
 *       without a key can only delete with key-less tombstones: key it by aggregating, or use the
 *       {@code join} processor, which keys by the left input.
 * </ol>
 *
 * <p>Output records carry the result's rowtime as their time when it has one, else the processing
 * time; they have no source origin (they are not the records that were read).
 *
 * <h2>Lineage and state</h2>
 *
 * Lineage is read from the outermost SELECT, best effort: each result column derives from the input
 * fields its expression names (a window's start/end/time from the event-time field); columns of
 * subqueries and CTEs are not followed. The planner's operators get uids {@code <node
 * uid>/sql/<exec node type>_<version>_<transformation>[-n]}, stable for the same query over the
 * same inputs, so a savepoint restores an aggregate's state after a redeploy; a changed query may
 * not find its old state.
 */
package dev.sluice.processors.sql;
