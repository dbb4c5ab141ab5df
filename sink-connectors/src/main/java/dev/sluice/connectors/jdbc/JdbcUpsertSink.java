package dev.sluice.connectors.jdbc;

import dev.sluice.sdk.SluiceRecord;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink Sink V2 that applies a changelog to one table by primary key: upserts and deletes,
 * batched, written at every checkpoint. Flink's JDBC connector writes one statement per sink, and a
 * changelog needs two (an upsert and a delete) applied in order per row, hence this small writer.
 *
 * <p>Delivery: a completed checkpoint means its rows are committed in the database (the writer
 * flushes before the barrier passes). After a failure the job replays from the last checkpoint;
 * replayed upserts and deletes by key are idempotent, so the table ends as if each change had been
 * applied once (readers may briefly see an older state of a replayed row).
 */
final class JdbcUpsertSink implements Sink<SluiceRecord> {
    private static final long serialVersionUID = 1L;

    private final JdbcDialect dialect;
    private final String url;
    private final String username;
    private final String password;
    private final String upsertSql;
    private final String deleteSql;
    private final String tableName;
    private final JdbcRowConverter converter;
    private final int batchSize;

    JdbcUpsertSink(
            JdbcDialect dialect,
            String url,
            String username,
            String password,
            String tableName,
            String upsertSql,
            String deleteSql,
            JdbcRowConverter converter,
            int batchSize) {
        this.dialect = dialect;
        this.url = url;
        this.username = username;
        this.password = password;
        this.tableName = tableName;
        this.upsertSql = upsertSql;
        this.deleteSql = deleteSql;
        this.converter = converter;
        this.batchSize = batchSize;
    }

    @Override
    public SinkWriter<SluiceRecord> createWriter(WriterInitContext context) {
        return new JdbcUpsertWriter(this, context.metricGroup().getNumRecordsSendCounter());
    }

    java.sql.Connection connect() throws java.sql.SQLException {
        java.sql.Connection c =
                dialect.connect(
                        url, username, password, Duration.ofSeconds(10), Duration.ofMinutes(5));
        c.setAutoCommit(false);
        return c;
    }

    JdbcDialect dialect() {
        return dialect;
    }

    String upsertSql() {
        return upsertSql;
    }

    String deleteSql() {
        return deleteSql;
    }

    String tableName() {
        return tableName;
    }

    JdbcRowConverter converter() {
        return converter;
    }

    int batchSize() {
        return batchSize;
    }

    @Override
    public String toString() {
        // Never the password.
        return "JdbcUpsertSink{" + JdbcSinkFactory.mask(url) + ", " + tableName + "}";
    }
}
