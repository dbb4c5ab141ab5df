/**
 * The {@code jdbc} sink: a pipeline's rows upserted into an existing PostgreSQL or MariaDB/MySQL
 * table by its primary key; deletes ({@code __op = "d"}) and tombstones (decoded with the input's
 * key schema) delete by key.
 *
 * <h2>Config</h2>
 *
 * {@code url} ({@code jdbc:postgresql://}, {@code jdbc:mariadb://}, {@code jdbc:mysql://} served by
 * MariaDB's driver), {@code username}, {@code password} (resolved by the platform; never logged or
 * put in messages), {@code table} ({@code name} or {@code schema.name}; for MariaDB the schema is
 * the database), {@code batchSize} (default 500).
 *
 * <h2>Checked when the pipeline is planned</h2>
 *
 * The sink connects (5 s timeout): an unreachable server or unknown database is a 400 at {@code
 * /config/url}, refused credentials one at {@code /config/username}, with the driver's message. The
 * table must exist and have a primary key. Fields feed the columns of the same name (or the one
 * column whose name differs only in case); {@code __*} metadata fields, fields without a column and
 * generated columns are not written. Refused at {@code /config/table}, naming column and field: a
 * primary key column no field feeds, a NOT NULL column without a default that no field feeds, a
 * column whose type cannot hold its field's type ({@link dev.sluice.connectors.jdbc.JdbcTypes} has
 * the table).
 *
 * <h2>Writes</h2>
 *
 * PostgreSQL: {@code INSERT ... ON CONFLICT (pk) DO UPDATE SET c = EXCLUDED.c}; MariaDB/MySQL:
 * {@code INSERT ... ON DUPLICATE KEY UPDATE c = VALUES(c)}; deletes: {@code DELETE ... WHERE pk =
 * ?}. Only the fed columns are written, so other columns keep their values or defaults. The writer
 * ({@link dev.sluice.connectors.jdbc.JdbcUpsertSink}) keeps the last change per row and writes the
 * buffer in one transaction when {@code batchSize} rows changed and at every checkpoint; after a
 * failure the replay from the last checkpoint re-applies idempotent changes, so the table converges
 * to the same rows. Records the table cannot take (a null key, a text longer than its column, a
 * decimal too large, an invalid uuid, a tombstone whose key cannot be read) become dead letters. At
 * parallelism above 1 records are partitioned by primary key so each row's changes stay in order.
 */
package dev.sluice.connectors.jdbc;
