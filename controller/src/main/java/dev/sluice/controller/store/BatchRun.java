package dev.sluice.controller.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One run of a batch pipeline, as {@code GET .../runs} lists it: its state, when it started and
 * ended, how many rows it read, wrote and dead-lettered, and why it failed or was skipped. A run
 * that fails and is retried stays one run with a higher {@code attempt}.
 */
public final class BatchRun {

    /** Run states of the contract. */
    public enum State {
        RUNNING,
        FINISHED,
        FAILED,
        SKIPPED
    }

    private final String pipeline;
    private final long id;
    private final State state;
    private final String cause;
    private final int attempt;
    private final String jobId;
    private final Instant startedAt;
    private final Instant endedAt;
    private final Instant retryAt;
    private final long rowsRead;
    private final long rowsWritten;
    private final long rowsDeadLettered;
    private final String error;

    public BatchRun(
            String pipeline,
            long id,
            State state,
            String cause,
            int attempt,
            String jobId,
            Instant startedAt,
            Instant endedAt,
            Instant retryAt,
            long rowsRead,
            long rowsWritten,
            long rowsDeadLettered,
            String error) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.id = id;
        this.state = Objects.requireNonNull(state, "state");
        this.cause = cause;
        this.attempt = attempt;
        this.jobId = jobId;
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.endedAt = endedAt;
        this.retryAt = retryAt;
        this.rowsRead = rowsRead;
        this.rowsWritten = rowsWritten;
        this.rowsDeadLettered = rowsDeadLettered;
        this.error = error;
    }

    /** A run that starts now. */
    public static BatchRun started(String pipeline, long id, String cause, Instant now) {
        return new BatchRun(
                pipeline, id, State.RUNNING, cause, 1, null, now, null, null, 0, 0, 0, null);
    }

    /** A run that was due while another one was still going. */
    public static BatchRun skipped(String pipeline, long id, String cause, Instant now) {
        return new BatchRun(
                pipeline,
                id,
                State.SKIPPED,
                cause,
                0,
                null,
                now,
                now,
                null,
                0,
                0,
                0,
                "the previous run was still going");
    }

    public BatchRun withJob(String jobId) {
        return new BatchRun(
                pipeline,
                id,
                state,
                cause,
                attempt,
                jobId,
                startedAt,
                endedAt,
                null,
                rowsRead,
                rowsWritten,
                rowsDeadLettered,
                error);
    }

    /** The attempt failed; the next one starts at {@code retryAt}. */
    public BatchRun retrying(String error, Instant retryAt) {
        return new BatchRun(
                pipeline,
                id,
                State.RUNNING,
                cause,
                attempt + 1,
                null,
                startedAt,
                null,
                retryAt,
                0,
                0,
                0,
                error);
    }

    public BatchRun ended(
            State state,
            Instant at,
            long rowsRead,
            long rowsWritten,
            long rowsDeadLettered,
            String error) {
        return new BatchRun(
                pipeline,
                id,
                state,
                cause,
                attempt,
                jobId,
                startedAt,
                at,
                null,
                rowsRead,
                rowsWritten,
                rowsDeadLettered,
                error);
    }

    public String pipeline() {
        return pipeline;
    }

    public long id() {
        return id;
    }

    public State state() {
        return state;
    }

    /** What started the run: {@code schedule}, {@code manual} or {@code trigger}. */
    public String cause() {
        return cause;
    }

    public int attempt() {
        return attempt;
    }

    /** The Flink job of the current attempt; {@code null} while waiting to retry. */
    public String jobId() {
        return jobId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    /** When the next attempt starts, while the run waits for a retry. */
    public Instant retryAt() {
        return retryAt;
    }

    public long rowsRead() {
        return rowsRead;
    }

    public long rowsWritten() {
        return rowsWritten;
    }

    public long rowsDeadLettered() {
        return rowsDeadLettered;
    }

    /** Why the run (or its last attempt) failed, or why it was skipped. */
    public String error() {
        return error;
    }
}
