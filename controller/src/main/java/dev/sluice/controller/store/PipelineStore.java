package dev.sluice.controller.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The controller's durable store: an embedded H2 database file under the data directory, so that
 * definitions and status survive a restart (clean or not). One connection, serialized access: the
 * controller writes rarely.
 */
public final class PipelineStore implements AutoCloseable {
    private final Connection connection;

    private PipelineStore(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating if needed) the store in {@code directory}. */
    public static PipelineStore open(Path directory) {
        try {
            Files.createDirectories(directory);
            String url =
                    "jdbc:h2:file:"
                            + directory.toAbsolutePath().resolve("sluice")
                            + ";DB_CLOSE_ON_EXIT=FALSE";
            Connection c = DriverManager.getConnection(url, "sluice", "");
            try (Statement s = c.createStatement()) {
                s.execute(
                        "CREATE TABLE IF NOT EXISTS pipelines ("
                                + " name VARCHAR(63) PRIMARY KEY,"
                                + " definition CLOB NOT NULL,"
                                + " state VARCHAR(16) NOT NULL,"
                                + " reason VARCHAR(4000),"
                                + " job_id VARCHAR(100000),"
                                + " restore_path VARCHAR(100000),"
                                + " restarts BIGINT NOT NULL,"
                                + " created_at TIMESTAMP NOT NULL,"
                                + " updated_at TIMESTAMP NOT NULL)");
                // Per-processor pipelines keep a job id (and a restore point) per job: widen the
                // columns of stores created before that.
                s.execute(
                        "ALTER TABLE pipelines ALTER COLUMN job_id SET DATA TYPE VARCHAR(100000)");
                s.execute(
                        "ALTER TABLE pipelines ALTER COLUMN restore_path SET DATA TYPE"
                                + " VARCHAR(100000)");
                s.execute(
                        "CREATE TABLE IF NOT EXISTS batch_runs ("
                                + " pipeline VARCHAR(63) NOT NULL,"
                                + " id BIGINT NOT NULL,"
                                + " state VARCHAR(16) NOT NULL,"
                                + " cause VARCHAR(32),"
                                + " attempt INT NOT NULL,"
                                + " job_id VARCHAR(64),"
                                + " started_at TIMESTAMP NOT NULL,"
                                + " ended_at TIMESTAMP,"
                                + " retry_at TIMESTAMP,"
                                + " rows_read BIGINT NOT NULL,"
                                + " rows_written BIGINT NOT NULL,"
                                + " rows_dead_lettered BIGINT NOT NULL,"
                                + " error VARCHAR(4000),"
                                + " PRIMARY KEY (pipeline, id))");
                s.execute(
                        "CREATE TABLE IF NOT EXISTS replayed_dead_letters ("
                                + " pipeline VARCHAR(63) NOT NULL,"
                                + " dlq_partition INT NOT NULL,"
                                + " dlq_offset BIGINT NOT NULL,"
                                + " PRIMARY KEY (pipeline, dlq_partition, dlq_offset))");
            }
            return new PipelineStore(c);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot open the controller store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Inserts or replaces a pipeline. */
    public synchronized void put(StoredPipeline p) {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "MERGE INTO pipelines (name, definition, state, reason, job_id,"
                                + " restore_path, restarts, created_at, updated_at) KEY (name)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, p.name());
            ps.setString(2, p.definitionJson());
            ps.setString(3, p.state().name());
            ps.setString(4, truncate(p.reason()));
            ps.setString(5, p.jobId());
            ps.setString(6, p.restorePath());
            ps.setLong(7, p.restarts());
            ps.setTimestamp(8, Timestamp.from(p.createdAt()));
            ps.setTimestamp(9, Timestamp.from(p.updatedAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store pipeline " + p.name(), e);
        }
    }

    /** The pipeline called {@code name}, if stored. */
    public synchronized Optional<StoredPipeline> get(String name) {
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT * FROM pipelines WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pipeline " + name, e);
        }
    }

    /** All pipelines, by name. */
    public synchronized List<StoredPipeline> list() {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM pipelines ORDER BY name")) {
            List<StoredPipeline> out = new ArrayList<>();
            while (rs.next()) {
                out.add(read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list pipelines", e);
        }
    }

    /** The dead-letter offsets of one partition already replayed for a pipeline. */
    public synchronized java.util.Set<Long> replayedDeadLetters(String pipeline, int partition) {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT dlq_offset FROM replayed_dead_letters WHERE pipeline = ? AND"
                                + " dlq_partition = ?")) {
            ps.setString(1, pipeline);
            ps.setInt(2, partition);
            java.util.Set<Long> out = new java.util.HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read replayed dead letters of " + pipeline, e);
        }
    }

    /** Remembers dead letters as replayed, so they are never replayed twice. */
    public synchronized void markReplayed(String pipeline, int partition, List<Long> offsets) {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "MERGE INTO replayed_dead_letters (pipeline, dlq_partition, dlq_offset)"
                                + " KEY (pipeline, dlq_partition, dlq_offset) VALUES (?, ?, ?)")) {
            for (long offset : offsets) {
                ps.setString(1, pipeline);
                ps.setInt(2, partition);
                ps.setLong(3, offset);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot record replayed dead letters of " + pipeline, e);
        }
    }

    /** Inserts or replaces a batch run. */
    public synchronized void putRun(BatchRun r) {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "MERGE INTO batch_runs (pipeline, id, state, cause, attempt, job_id,"
                                + " started_at, ended_at, retry_at, rows_read, rows_written,"
                                + " rows_dead_lettered, error) KEY (pipeline, id)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.pipeline());
            ps.setLong(2, r.id());
            ps.setString(3, r.state().name());
            ps.setString(4, r.cause());
            ps.setInt(5, r.attempt());
            ps.setString(6, r.jobId());
            ps.setTimestamp(7, Timestamp.from(r.startedAt()));
            ps.setTimestamp(8, r.endedAt() == null ? null : Timestamp.from(r.endedAt()));
            ps.setTimestamp(9, r.retryAt() == null ? null : Timestamp.from(r.retryAt()));
            ps.setLong(10, r.rowsRead());
            ps.setLong(11, r.rowsWritten());
            ps.setLong(12, r.rowsDeadLettered());
            ps.setString(13, truncate(r.error()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot store run " + r.id() + " of " + r.pipeline(), e);
        }
    }

    /** The runs of a pipeline, newest first. */
    public synchronized List<BatchRun> runs(String pipeline) {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT * FROM batch_runs WHERE pipeline = ? ORDER BY id DESC")) {
            ps.setString(1, pipeline);
            List<BatchRun> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(readRun(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the runs of " + pipeline, e);
        }
    }

    private static BatchRun readRun(ResultSet rs) throws SQLException {
        Timestamp ended = rs.getTimestamp("ended_at");
        Timestamp retry = rs.getTimestamp("retry_at");
        return new BatchRun(
                rs.getString("pipeline"),
                rs.getLong("id"),
                BatchRun.State.valueOf(rs.getString("state")),
                rs.getString("cause"),
                rs.getInt("attempt"),
                rs.getString("job_id"),
                rs.getTimestamp("started_at").toInstant(),
                ended == null ? null : ended.toInstant(),
                retry == null ? null : retry.toInstant(),
                rs.getLong("rows_read"),
                rs.getLong("rows_written"),
                rs.getLong("rows_dead_lettered"),
                rs.getString("error"));
    }

    /** Removes a pipeline; returns whether it existed. */
    public synchronized boolean delete(String name) {
        try (PreparedStatement ps =
                        connection.prepareStatement("DELETE FROM pipelines WHERE name = ?");
                PreparedStatement replays =
                        connection.prepareStatement(
                                "DELETE FROM replayed_dead_letters WHERE pipeline = ?")) {
            replays.setString(1, name);
            replays.executeUpdate();
            try (PreparedStatement runs =
                    connection.prepareStatement("DELETE FROM batch_runs WHERE pipeline = ?")) {
                runs.setString(1, name);
                runs.executeUpdate();
            }
            ps.setString(1, name);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete pipeline " + name, e);
        }
    }

    private static StoredPipeline read(ResultSet rs) throws SQLException {
        return new StoredPipeline(
                rs.getString("name"),
                rs.getString("definition"),
                PipelineState.valueOf(rs.getString("state")),
                rs.getString("reason"),
                rs.getString("job_id"),
                rs.getString("restore_path"),
                rs.getLong("restarts"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing on shutdown: nothing to do
        }
    }
}
