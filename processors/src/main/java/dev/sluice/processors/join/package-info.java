/**
 * The {@code join} processor ({@link dev.sluice.processors.join.JoinProcessorFactory}): joins two
 * inputs with changelog semantics, e.g. enriching each movie with its director from a talent table,
 * so that a change on either side updates the result in place.
 *
 * <h2>Config</h2>
 *
 * <pre>{@code
 * {"id": "enriched", "type": "join", "inputs": ["movies", "talent"],
 *  "config": {"kind": "left", "on": {"movies": "director_id", "talent": "id"}, "ttl": "PT24H"}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code inputs}: exactly two, {@code [left, right]}; they must be different nodes.
 *   <li>{@code kind}: {@code inner} (default) or {@code left}.
 *   <li>{@code on}: the join field of each input, keyed by input id; exactly those two keys. Join
 *       fields may be string, enum, int, long, float, double, boolean, bytes or fixed (nullable or
 *       not). The two must have the same type after unwrapping nullability (logical types
 *       included), except that int meets long and string meets enum.
 *   <li>{@code ttl} (optional): an ISO-8601 duration; state is dropped that long after its last
 *       write (processing time). Without it state is kept forever.
 * </ul>
 *
 * Errors point at the key at fault, e.g. {@code /processors/1/config/on/talent}, and list what is
 * allowed (the input ids, the input's fields, the allowed types).
 *
 * <h2>Output</h2>
 *
 * A record named {@code <pipeline>_<node id>}: the left fields, then the right fields. A right
 * field whose name a left field has is renamed {@code <right input id>_<name>} (the id with every
 * character Avro does not allow in names as {@code _}); if that name is taken as well the join is
 * refused. For a left join every right field becomes nullable ({@code ["null", T]}, default null).
 * Right-side metadata fields clash like any other ({@code __op} comes out as {@code talent___op}).
 * The output is a changelog keyed by the left record's Kafka key; each output field's lineage is
 * the input field it is copied from.
 *
 * <h2>Semantics</h2>
 *
 * Both inputs are partitioned by their join value, normalized to text (an int and a long of one
 * number meet; an enum symbol meets the string of its name; bytes compare by content). Per join
 * value the join keeps the latest right row (the right side is a table) and the latest left row per
 * left Kafka key.
 *
 * <ul>
 *   <li>A left row arrives: it replaces the stored left row of its Kafka key. With a right row for
 *       its join value it is emitted joined; without one a left join emits it with null right
 *       fields, and an inner join emits nothing — or a tombstone, if its key's current output is a
 *       joined row (possible only after the right row expired by {@code ttl}).
 *   <li>A right row arrives: it becomes the table row of its join value, and every stored left row
 *       of that value is re-emitted joined with it (updates in place downstream).
 *   <li>Deletes are records whose input schema has a string {@code __op} field with value {@code
 *       "d"} (a CDC delete with its last row image). A left delete removes that left row and emits
 *       a tombstone (null value) under its key. A right delete removes the table row: a left join
 *       re-emits each left row of that value with null right fields, an inner join emits a
 *       tombstone for each left key that had a joined row.
 *   <li>Records with a null value (the tombstones after CDC deletes) are ignored on both sides.
 *   <li>A null join value: an inner join drops the left row; a left join emits it with null right
 *       fields and keeps no state for it. A right row with a null join value is ignored.
 *   <li>Every output carries the time and origin (source topic, partition, offset, bytes) of the
 *       record that caused it.
 * </ul>
 *
 * A left record without a Kafka key, and a record whose value cannot be brought into its input's
 * schema (a required field missing or of another type; values of another schema are otherwise
 * mapped by field name), go to the dead-letter topic naming the join; nothing is stored for them.
 *
 * <h2>State</h2>
 *
 * One keyed two-input operator (uid suffix {@code join}), keyed by the normalized join value; the
 * platform keeps it in RocksDB with incremental checkpoints. Per join value: {@code left-rows}, a
 * map state from the left Kafka key (Base64) to the left row; {@code right-row}, a value state with
 * the right row; {@code left-emitted} (inner joins), the left keys whose current output is a joined
 * row. Rows are serialized with their input's Avro schema (Sluice's versioned record serializer,
 * never Kryo). With {@code ttl}, each entry expires that long after its last write and is never
 * returned once expired; an expired right row stops matching (left rows arriving later get null
 * right fields, or no output) without retracting what was emitted before.
 *
 * <h2>Rows that change their join value</h2>
 *
 * Both inputs are partitioned by join value, so a left row's entry under its old value cannot be
 * reached from its new one. A step before the join, keyed by the left Kafka key (uid suffix {@code
 * join-moves}, state {@code left-join-value}), remembers each row's join value and, when it
 * changes, first sends the old value a retraction: the row is forgotten there without output, and
 * the new value's output replaces it under the same key. When the new join value is null, an inner
 * join also deletes the row's output (a tombstone); a left join emits the row with null right
 * fields as usual. Cross-key output order is per join value: with parallelism above 1, a row's
 * outputs caused under two join values may reach a sink in either order.
 */
package dev.sluice.processors.join;
