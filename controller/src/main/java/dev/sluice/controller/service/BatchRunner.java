package dev.sluice.controller.service;

import dev.sluice.controller.definition.PipelineDefinition;
import dev.sluice.controller.definition.PipelineJson;
import dev.sluice.controller.definition.RetryPolicy;
import dev.sluice.controller.definition.Schedule;
import dev.sluice.controller.deployment.JobSubmitter;
import dev.sluice.controller.deployment.JobSubmitter.JobState;
import dev.sluice.controller.planning.JobComposer;
import dev.sluice.controller.schedule.CronExpression;
import dev.sluice.controller.store.BatchRun;
import dev.sluice.controller.store.PipelineState;
import dev.sluice.controller.store.PipelineStore;
import dev.sluice.controller.store.StoredPipeline;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs batch pipelines: starts a run when its cron schedule is due, when asked ({@code POST
 * .../runs}) or when its trigger fires; follows the run's bounded Flink job to its end; records
 * rows read, written and dead-lettered from the job's accumulators; retries a failed attempt per
 * the pipeline's retry policy; and never runs two runs of one pipeline at once (a run due while
 * another is going is recorded as {@code SKIPPED}).
 *
 * <p>A batch pipeline is {@code PENDING} between runs, {@code RUNNING} during one, {@code FAILED}
 * when its last run failed (until a later run finishes) and {@code PAUSED} when its schedule is
 * suspended. Everything here runs on the controller's deployer thread.
 */
final class BatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

    /** The current snapshot id of an Iceberg table, empty when it has none (or is missing). */
    interface SnapshotProbe {
        java.util.OptionalLong currentSnapshot(String table);
    }

    /** Starts one attempt of a run: plans, provisions and submits; returns the Flink job id. */
    interface Launcher {
        String launch(StoredPipeline pipeline, PipelineDefinition definition) throws Exception;
    }

    private final PipelineStore store;
    private final JobSubmitter submitter;
    private final Launcher launcher;
    private final Clock clock;
    private final BiFunction<String, StoredPipeline, String> mask;

    /** The last time each pipeline's schedule fired (in memory: missed runs are not caught up). */
    private final Map<String, ZonedDateTime> lastFire = new ConcurrentHashMap<>();

    private final SnapshotProbe snapshots;

    /** The snapshot each triggered pipeline last saw of its table ({@code -1}: none yet). */
    private final Map<String, Long> lastSnapshot = new ConcurrentHashMap<>();

    /** When each triggered pipeline last asked its catalog. */
    private final Map<String, Instant> lastProbe = new ConcurrentHashMap<>();

    /** Pipelines whose table changed while a run was going: they run once it ends. */
    private final java.util.Set<String> triggerPending = ConcurrentHashMap.newKeySet();

    /** How often a triggered pipeline asks its catalog for a new snapshot. */
    static final java.time.Duration PROBE_INTERVAL = java.time.Duration.ofSeconds(2);

    BatchRunner(
            PipelineStore store,
            JobSubmitter submitter,
            Launcher launcher,
            Clock clock,
            BiFunction<String, StoredPipeline, String> mask,
            SnapshotProbe snapshots) {
        this.snapshots = snapshots;
        this.store = store;
        this.submitter = submitter;
        this.launcher = launcher;
        this.clock = clock;
        this.mask = mask;
    }

    /** Starts a run now, unless one is going. */
    BatchRun runNow(StoredPipeline p) {
        Optional<BatchRun> current = current(p.name());
        if (current.isPresent()) {
            throw ApiException.conflict(
                    "run "
                            + current.get().id()
                            + " of pipeline '"
                            + p.name()
                            + "' is still going; a batch pipeline runs one run at a time");
        }
        return start(p, PipelineJson.parse(p.definitionJson()), "manual");
    }

    /** The pipeline's runs, newest first. */
    List<BatchRun> runs(String pipeline) {
        return store.runs(pipeline);
    }

    /** Cancels the job of a run that is going (the pipeline is being deleted). */
    void cancelCurrent(String pipeline) {
        current(pipeline)
                .ifPresent(
                        r -> {
                            if (r.jobId() != null) {
                                try {
                                    submitter.cancel(r.jobId());
                                } catch (Exception e) {
                                    LOG.warn(
                                            "could not cancel run {} of {}: {}",
                                            r.id(),
                                            pipeline,
                                            e.toString());
                                }
                            }
                        });
        lastFire.remove(pipeline);
        lastSnapshot.remove(pipeline);
        lastProbe.remove(pipeline);
        triggerPending.remove(pipeline);
    }

    /** Follows the current run and the schedule of one batch pipeline. */
    void tick(StoredPipeline p) {
        PipelineDefinition definition = PipelineJson.parse(p.definitionJson());
        Optional<BatchRun> current = current(p.name());
        if (current.isPresent()) {
            follow(p, definition, current.get());
        }
        if (p.state() != PipelineState.PAUSED && definition.trigger().isPresent()) {
            followTrigger(p, definition);
        }
        Optional<Schedule> schedule = definition.schedule();
        if (schedule.isEmpty() || p.state() == PipelineState.PAUSED) {
            return;
        }
        ZoneId zone = ZoneId.of(schedule.get().timezone());
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(zone);
        ZonedDateTime last = lastFire.computeIfAbsent(p.name(), k -> now);
        ZonedDateTime due = CronExpression.parse(schedule.get().cron()).next(last);
        if (now.isBefore(due)) {
            return;
        }
        lastFire.put(p.name(), now);
        StoredPipeline latest = store.get(p.name()).orElse(p);
        if (current(p.name()).isPresent()) {
            BatchRun skipped = BatchRun.skipped(p.name(), nextId(p.name()), "schedule", now());
            store.putRun(skipped);
            LOG.info(
                    "pipeline {}: run {} skipped: the previous run is still going",
                    p.name(),
                    skipped.id());
        } else {
            start(latest, definition, "schedule");
        }
    }

    /**
     * Runs the pipeline when its trigger table gets a snapshot it has not seen: the first look only
     * notes the current snapshot; a change while a run is going runs once that run ends.
     */
    private void followTrigger(StoredPipeline p, PipelineDefinition definition) {
        Instant now = now();
        Instant last = lastProbe.get(p.name());
        if (last != null && now.isBefore(last.plus(PROBE_INTERVAL))) {
            return;
        }
        lastProbe.put(p.name(), now);
        long current;
        try {
            current = snapshots.currentSnapshot(definition.trigger().get().table()).orElse(-1L);
        } catch (RuntimeException e) {
            LOG.warn(
                    "pipeline {}: cannot read the snapshot of {}: {}",
                    p.name(),
                    definition.trigger().get().table(),
                    e.toString());
            return;
        }
        Long seen = lastSnapshot.put(p.name(), current);
        if (seen != null && seen != current && current != -1L) {
            triggerPending.add(p.name());
        }
        if (triggerPending.contains(p.name()) && current(p.name()).isEmpty()) {
            triggerPending.remove(p.name());
            LOG.info(
                    "pipeline {}: table {} has a new snapshot {}; starting a run",
                    p.name(),
                    definition.trigger().get().table(),
                    current);
            start(store.get(p.name()).orElse(p), definition, "trigger");
        }
    }

    private void follow(StoredPipeline p, PipelineDefinition definition, BatchRun run) {
        if (run.jobId() == null) {
            if (run.retryAt() != null && !now().isBefore(run.retryAt())) {
                attempt(p, definition, run);
            }
            return;
        }
        JobState state;
        try {
            state = submitter.state(run.jobId());
        } catch (Exception e) {
            LOG.warn(
                    "pipeline {}: cannot read the state of run {}: {}",
                    p.name(),
                    run.id(),
                    e.toString());
            return;
        }
        switch (state.phase()) {
            case FINISHED:
                Map<String, Long> counts;
                try {
                    counts = submitter.accumulators(run.jobId());
                } catch (Exception e) {
                    counts = Map.of();
                }
                BatchRun done =
                        run.ended(
                                BatchRun.State.FINISHED,
                                now(),
                                counts.getOrDefault(JobComposer.ROWS_READ, 0L),
                                counts.getOrDefault(JobComposer.ROWS_WRITTEN, 0L),
                                counts.getOrDefault(JobComposer.ROWS_DEAD_LETTERED, 0L),
                                null);
                store.putRun(done);
                LOG.info(
                        "pipeline {}: run {} finished: {} rows read, {} written, {} dead-lettered",
                        p.name(),
                        run.id(),
                        done.rowsRead(),
                        done.rowsWritten(),
                        done.rowsDeadLettered());
                settle(p, PipelineState.PENDING, null);
                break;
            case FAILED:
            case CANCELED:
            case UNKNOWN:
                String error =
                        state.phase() == JobState.Phase.UNKNOWN
                                ? "its Flink job "
                                        + run.jobId()
                                        + " was lost (the platform restarted)"
                                : state.phase() == JobState.Phase.CANCELED
                                        ? "its Flink job " + run.jobId() + " was cancelled"
                                        : "its Flink job "
                                                + run.jobId()
                                                + " failed: "
                                                + state.failure();
                failed(p, definition, run, mask.apply(error, p));
                break;
            default:
                break;
        }
    }

    private BatchRun start(StoredPipeline p, PipelineDefinition definition, String cause) {
        BatchRun run = BatchRun.started(p.name(), nextId(p.name()), cause, now());
        store.putRun(run);
        return attempt(p, definition, run);
    }

    private BatchRun attempt(StoredPipeline p, PipelineDefinition definition, BatchRun run) {
        try {
            String jobId = launcher.launch(p, definition);
            BatchRun launched = run.withJob(jobId);
            store.putRun(launched);
            settle(
                    p,
                    PipelineState.RUNNING,
                    "run "
                            + run.id()
                            + (run.attempt() > 1 ? " attempt " + run.attempt() : "")
                            + ": job "
                            + jobId);
            LOG.info(
                    "pipeline {}: run {} attempt {} submitted as job {}",
                    p.name(),
                    run.id(),
                    run.attempt(),
                    jobId);
            return launched;
        } catch (Exception e) {
            return failed(
                    p,
                    definition,
                    run,
                    mask.apply("the run could not start: " + PipelineService.describe(e), p));
        }
    }

    private BatchRun failed(
            StoredPipeline p, PipelineDefinition definition, BatchRun run, String error) {
        int attempts = definition.retry().map(RetryPolicy::attempts).orElse(1);
        if (run.attempt() < attempts) {
            Instant retryAt = now().plus(definition.retry().get().backoff());
            BatchRun retrying = run.retrying(error, retryAt);
            store.putRun(retrying);
            settle(
                    p,
                    PipelineState.RUNNING,
                    "run "
                            + run.id()
                            + " attempt "
                            + run.attempt()
                            + " of "
                            + attempts
                            + " failed ("
                            + error
                            + "); retrying at "
                            + retryAt);
            LOG.warn(
                    "pipeline {}: run {} attempt {} failed: {}",
                    p.name(),
                    run.id(),
                    run.attempt(),
                    error);
            return retrying;
        }
        BatchRun done = run.ended(BatchRun.State.FAILED, now(), 0, 0, 0, error);
        store.putRun(done);
        settle(
                p,
                PipelineState.FAILED,
                "run "
                        + run.id()
                        + " failed"
                        + (attempts > 1 ? " after " + attempts + " attempts" : "")
                        + ": "
                        + error);
        LOG.warn("pipeline {}: run {} failed: {}", p.name(), run.id(), error);
        return done;
    }

    /** Sets the pipeline's state unless it was paused or deleted meanwhile. */
    private void settle(StoredPipeline p, PipelineState state, String reason) {
        store.get(p.name())
                .ifPresent(
                        latest -> {
                            if (latest.state() == PipelineState.DELETING) {
                                return;
                            }
                            PipelineState next =
                                    latest.state() == PipelineState.PAUSED
                                            ? PipelineState.PAUSED
                                            : state;
                            store.put(latest.withState(next, reason));
                        });
    }

    private Optional<BatchRun> current(String pipeline) {
        return store.runs(pipeline).stream()
                .filter(r -> r.state() == BatchRun.State.RUNNING)
                .findFirst();
    }

    private long nextId(String pipeline) {
        List<BatchRun> runs = store.runs(pipeline);
        return runs.isEmpty() ? 1 : runs.get(0).id() + 1;
    }

    private Instant now() {
        return clock.instant();
    }
}
