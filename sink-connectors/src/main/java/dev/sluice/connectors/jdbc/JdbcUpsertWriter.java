package dev.sluice.connectors.jdbc;

import dev.sluice.sdk.SluiceRecord;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers the last change of each row and writes the buffer in one transaction when it holds {@code
 * batchSize} rows and at every checkpoint. Changes are applied in the order of their last change
 * per row, consecutive upserts and deletes each as one JDBC batch. A failed write is retried on a
 * new connection (the statements are idempotent); when retries run out the job fails and Flink
 * restarts it from its last checkpoint.
 */
final class JdbcUpsertWriter implements SinkWriter<SluiceRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcUpsertWriter.class);
    private static final int ATTEMPTS = 3;

    private final JdbcUpsertSink sink;
    private final JdbcRowConverter converter;
    private final Counter written;
    private final Map<List<Object>, JdbcChange> pending = new LinkedHashMap<>();
    private Connection connection;
    private PreparedStatement upsert;
    private PreparedStatement delete;

    JdbcUpsertWriter(JdbcUpsertSink sink, Counter written) {
        this.sink = sink;
        this.converter = sink.converter();
        this.written = written;
    }

    @Override
    public void write(SluiceRecord record, Context context) throws IOException {
        JdbcChange change = converter.convert(record);
        if (change == null) {
            return;
        }
        List<Object> row = change.rowKey();
        // Re-inserting moves the row to the end: the buffer is in order of last change.
        pending.remove(row);
        pending.put(row, change);
        if (pending.size() >= sink.batchSize()) {
            flushPending();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        flushPending();
    }

    private void flushPending() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                if (connection == null) {
                    open();
                }
                apply();
                connection.commit();
                written.inc(pending.size());
                pending.clear();
                return;
            } catch (SQLException e) {
                rollbackAndClose();
                if (attempt >= ATTEMPTS) {
                    throw new IOException(
                            "writing "
                                    + pending.size()
                                    + " rows to "
                                    + sink.tableName()
                                    + " failed "
                                    + ATTEMPTS
                                    + " times: "
                                    + e.getMessage(),
                            e);
                }
                LOG.warn(
                        "writing to {} failed (attempt {} of {}), retrying on a new connection: {}",
                        sink.tableName(),
                        attempt,
                        ATTEMPTS,
                        e.getMessage());
                try {
                    Thread.sleep(500L * attempt); // back off before reconnecting
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while retrying a write", ie);
                }
            }
        }
    }

    private void open() throws SQLException {
        connection = sink.connect();
        upsert = connection.prepareStatement(sink.upsertSql());
        delete = connection.prepareStatement(sink.deleteSql());
    }

    private void apply() throws SQLException {
        Boolean batchIsDelete = null;
        for (Iterator<JdbcChange> it = pending.values().iterator(); it.hasNext(); ) {
            JdbcChange change = it.next();
            if (batchIsDelete != null && batchIsDelete != change.isDelete()) {
                (batchIsDelete ? delete : upsert).executeBatch();
            }
            batchIsDelete = change.isDelete();
            if (change.isDelete()) {
                bindKey(delete, change.key());
                delete.addBatch();
            } else {
                bindValues(upsert, change.values());
                upsert.addBatch();
            }
        }
        if (batchIsDelete != null) {
            (batchIsDelete ? delete : upsert).executeBatch();
        }
    }

    private void bindValues(PreparedStatement ps, Object[] values) throws SQLException {
        JdbcColumn[] columns = converter.columns();
        for (int i = 0; i < values.length; i++) {
            bind(ps, i + 1, values[i], columns[i]);
        }
    }

    private void bindKey(PreparedStatement ps, Object[] key) throws SQLException {
        for (int k = 0; k < key.length; k++) {
            bind(ps, k + 1, key[k], converter.keyColumn(k));
        }
    }

    private void bind(PreparedStatement ps, int index, Object value, JdbcColumn column)
            throws SQLException {
        boolean other =
                sink.dialect() == JdbcDialect.POSTGRES && (column.isJson() || column.isUuid());
        if (value == null) {
            ps.setNull(index, other ? Types.OTHER : column.sqlType());
        } else if (other && value instanceof String) {
            ps.setObject(index, value, Types.OTHER);
        } else {
            ps.setObject(index, value);
        }
    }

    private void rollbackAndClose() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // the connection is likely gone; closing is what matters
            }
        }
        closeConnection();
    }

    private void closeConnection() {
        for (AutoCloseable c : new AutoCloseable[] {upsert, delete, connection}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
        upsert = null;
        delete = null;
        connection = null;
    }

    @Override
    public void close() {
        closeConnection();
    }
}
