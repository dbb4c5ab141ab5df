package dev.sluice.controller.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What the controller keeps about one pipeline across restarts: its definition as the user sent it
 * (secrets still as references), its state and the job that runs it.
 */
public final class StoredPipeline {
    private final String name;
    private final String definitionJson;
    private final PipelineState state;
    private final String reason;
    private final String jobId;
    private final String restorePath;
    private final long restarts;
    private final Instant createdAt;
    private final Instant updatedAt;

    public StoredPipeline(
            String name,
            String definitionJson,
            PipelineState state,
            String reason,
            String jobId,
            String restorePath,
            long restarts,
            Instant createdAt,
            Instant updatedAt) {
        this.name = Objects.requireNonNull(name, "name");
        this.definitionJson = Objects.requireNonNull(definitionJson, "definitionJson");
        this.state = Objects.requireNonNull(state, "state");
        this.reason = reason;
        this.jobId = jobId;
        this.restorePath = restorePath;
        this.restarts = restarts;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new pipeline, not deployed yet. */
    public static StoredPipeline created(String name, String definitionJson) {
        Instant now = Instant.now();
        return new StoredPipeline(
                name, definitionJson, PipelineState.PENDING, null, null, null, 0, now, now);
    }

    public String name() {
        return name;
    }

    public String definitionJson() {
        return definitionJson;
    }

    public PipelineState state() {
        return state;
    }

    public String reason() {
        return reason;
    }

    public String jobId() {
        return jobId;
    }

    public String restorePath() {
        return restorePath;
    }

    public long restarts() {
        return restarts;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public StoredPipeline withDefinition(String json) {
        return new StoredPipeline(
                name, json, state, reason, jobId, restorePath, restarts, createdAt, Instant.now());
    }

    public StoredPipeline withState(PipelineState newState, String newReason) {
        return new StoredPipeline(
                name,
                definitionJson,
                newState,
                newReason,
                jobId,
                restorePath,
                restarts,
                createdAt,
                Instant.now());
    }

    public StoredPipeline withJob(String newJobId) {
        return new StoredPipeline(
                name,
                definitionJson,
                state,
                reason,
                newJobId,
                restorePath,
                restarts,
                createdAt,
                Instant.now());
    }

    public StoredPipeline withRestorePath(String path) {
        return new StoredPipeline(
                name,
                definitionJson,
                state,
                reason,
                jobId,
                path,
                restarts,
                createdAt,
                Instant.now());
    }

    public StoredPipeline withRestarts(long n) {
        return new StoredPipeline(
                name,
                definitionJson,
                state,
                reason,
                jobId,
                restorePath,
                n,
                createdAt,
                Instant.now());
    }
}
