package dev.sluice.connectors.jdbc;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.types.Either;

/**
 * Reads the splits of one reader, one query at a time over one connection, in batches of the fetch
 * size, on the reader's fetcher thread. Each row becomes a record, or a dead letter naming the
 * column that has no Avro form. A database error fails the task (Flink's restart strategy reads the
 * split again).
 */
final class JdbcSplitReader implements SplitReader<Either<SluiceRecord, DeadLetter>, JdbcSplit> {

    private final JdbcReadSpec spec;
    private final List<JdbcSourceColumn> columns;
    private final Schema schema;
    private final ArrayDeque<JdbcSplit> splits = new ArrayDeque<>();
    private Connection connection;
    private PreparedStatement statement;
    private ResultSet rows;
    private JdbcSplit current;
    private long row;

    JdbcSplitReader(JdbcReadSpec spec) {
        this.spec = spec;
        this.columns = spec.columns;
        this.schema = new Schema.Parser().parse(spec.valueSchemaJson);
    }

    @Override
    public RecordsWithSplitIds<Either<SluiceRecord, DeadLetter>> fetch() throws IOException {
        RecordsBySplits.Builder<Either<SluiceRecord, DeadLetter>> batch =
                new RecordsBySplits.Builder<>();
        try {
            if (current == null) {
                current = splits.poll();
                if (current == null) {
                    return batch.build();
                }
                open();
            }
            String id = current.splitId();
            for (int n = 0; n < spec.fetchSize; n++) {
                if (!rows.next()) {
                    finishSplit();
                    batch.addFinishedSplit(id);
                    break;
                }
                row++;
                batch.add(id, convert());
            }
        } catch (SQLException e) {
            String split = String.valueOf(current);
            closeQuietly();
            throw new IOException(
                    "jdbc source '"
                            + spec.nodeId
                            + "' cannot read "
                            + spec.what
                            + " (split "
                            + split
                            + ") at "
                            + JdbcSinkFactory.mask(spec.url)
                            + ": "
                            + e.getMessage(),
                    e);
        }
        return batch.build();
    }

    private void open() throws SQLException {
        if (connection == null) {
            connection = spec.connect();
        }
        statement =
                connection.prepareStatement(
                        spec.query.select(current),
                        ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(spec.fetchSize);
        spec.query.bind(statement, current);
        rows = statement.executeQuery();
        row = 0;
    }

    private void finishSplit() throws SQLException {
        rows.close();
        statement.close();
        rows = null;
        statement = null;
        connection.commit();
        current = null;
    }

    private Either<SluiceRecord, DeadLetter> convert() {
        GenericData.Record value = new GenericData.Record(schema);
        for (int i = 0; i < columns.size(); i++) {
            JdbcSourceColumn column = columns.get(i);
            try {
                value.put(i, column.read(rows, i + 1));
            } catch (IllegalArgumentException e) {
                return Either.Right(deadLetter(e, e.getMessage()));
            } catch (SQLException e) {
                return Either.Right(
                        deadLetter(e, "column '" + column.label() + "': " + e.getMessage()));
            }
        }
        return Either.Left(SluiceRecord.of(null, value, System.currentTimeMillis()));
    }

    private DeadLetter deadLetter(Exception error, String message) {
        DeadLetter dl = new DeadLetter();
        dl.processorId = spec.nodeId;
        dl.errorClass = error.getClass().getName();
        dl.errorMessage =
                message + " (row " + row + " of split " + current + " of " + spec.what + ")";
        dl.failedAtMs = System.currentTimeMillis();
        dl.attempt = 1;
        return dl;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<JdbcSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "the jdbc source only adds splits, got " + change.getClass().getSimpleName());
        }
        splits.addAll(change.splits());
    }

    @Override
    public void wakeUp() {
        // fetch() returns after at most one batch; nothing to interrupt.
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        for (AutoCloseable c : new AutoCloseable[] {rows, statement, connection}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing after a failure or at the end: nothing left to save
                }
            }
        }
        rows = null;
        statement = null;
        connection = null;
    }
}
