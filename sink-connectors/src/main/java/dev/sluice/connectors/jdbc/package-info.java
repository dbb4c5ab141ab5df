/**
 * The {@code jdbc} sink and batch source. The sink: a pipeline's rows upserted into an existing
 * PostgreSQL or MariaDB/MySQL table by its primary key; deletes ({@code __op = "d"}) and tombstones
 * (decoded with the input's key schema) delete by key.
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
 *
 * <h2>The {@code jdbc} batch source</h2>
 *
 * {@link dev.sluice.connectors.jdbc.JdbcSourceFactory}: the rows of a table, view or query, read
 * once per run of a batch pipeline ({@code "mode": "batch"}; a streaming pipeline is refused at
 * {@code /config}: use {@code postgres-cdc}/{@code mysql-cdc} for a live stream of changes).
 *
 * <ul>
 *   <li>{@code url}, {@code username}, {@code password}: as for the sink.
 *   <li>{@code table} ({@code name} or {@code schema.name}) or {@code query} (one SELECT; a
 *       trailing semicolon is dropped; it runs as a subquery {@code SELECT ... FROM (query)
 *       sluice_q}): exactly one of them (both, or neither: 400 at {@code /config}).
 *   <li>{@code splitColumn} (optional): a numeric column of the result (integer, numeric/decimal,
 *       real, double). When a run starts the source asks for its MIN and MAX and splits {@code
 *       [MIN, MAX]} into as many equal ranges as the pipeline's {@code parallelism} (fewer when
 *       there are fewer distinct integers), each read by its own query at the same time; rows where
 *       the column is NULL are read with the first range. Without it the read is one query by one
 *       reader (downstream operators still run at the pipeline's parallelism). Each range is its
 *       own transaction: rows changed during a run may be seen by one range and not another.
 *   <li>{@code fetchSize} (default 1000): rows per round trip; PostgreSQL reads through a cursor
 *       (auto-commit off), MariaDB streams.
 * </ul>
 *
 * When the pipeline is planned the source connects (5 s timeout) and takes the schema from the
 * result-set metadata of {@code SELECT * FROM <table or (query)> WHERE 1 = 0}: an unreachable
 * server is a 400 at {@code /config/url}, refused credentials at {@code /config/username}, a
 * missing table at {@code /config/table}, a query the database rejects at {@code /config/query},
 * each with the driver's message; a split column that is missing or not numeric at {@code
 * /config/splitColumn}. The value schema is a record {@code Value} in namespace {@code
 * <pipeline>.<node>} with a field per column in order (types as {@link
 * dev.sluice.connectors.jdbc.JdbcSourceColumn} maps them: unbounded PostgreSQL {@code numeric}
 * becomes a double; uuid, json and types without a mapping become their text); a column name that
 * is not an Avro name is made one and kept in field property {@code sluice.column}. The output is
 * an append stream of records without a key. A row with a value that has no Avro form (a PostgreSQL
 * {@code 'infinity'} date, a NULL where the database promised none) becomes a dead letter naming
 * the column; the other rows are read. A database error while reading fails the task, and Flink's
 * restart strategy reads the split again. Operator uids: {@code jdbc-source}, {@code jdbc-records}.
 *
 * <p>The source is Sluice's own bounded FLIP-27 source ({@code JdbcBoundedSource}: one split per
 * range, planned by the enumerator when the run starts), not flink-connector-jdbc's: drivers are
 * instantiated directly as for the sink, and rows that cannot be converted become dead letters.
 */
package dev.sluice.connectors.jdbc;
