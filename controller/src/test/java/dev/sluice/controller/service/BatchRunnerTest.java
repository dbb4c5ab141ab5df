package dev.sluice.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.controller.deployment.JobSubmitter;
import dev.sluice.controller.planning.JobComposer;
import dev.sluice.controller.store.BatchRun;
import dev.sluice.controller.store.PipelineState;
import dev.sluice.controller.store.PipelineStore;
import dev.sluice.controller.store.StoredPipeline;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch scheduler's decisions — when a run starts, is skipped, retried or failed, and what it
 * records — against the real store, with a clock the test moves and a cluster whose job states the
 * test sets (submitting real bounded jobs is covered by the batch ITCase).
 */
class BatchRunnerTest {
    @TempDir Path dir;

    private PipelineStore store;
    private MutableClock clock;
    private ScriptedCluster cluster;
    private BatchRunner runner;
    private final List<String> launches = new ArrayList<>();
    private RuntimeException launchFailure;
    private final Map<String, Long> snapshots = new HashMap<>();

    @BeforeEach
    void setUp() {
        store = PipelineStore.open(dir);
        clock = new MutableClock(Instant.parse("2026-11-22T10:00:30Z"));
        cluster = new ScriptedCluster();
        runner =
                new BatchRunner(
                        store,
                        cluster,
                        (p, d) -> {
                            if (launchFailure != null) {
                                throw launchFailure;
                            }
                            String id = "job" + (launches.size() + 1);
                            launches.add(id);
                            cluster.phases.put(id, JobSubmitter.JobState.Phase.RUNNING);
                            return id;
                        },
                        clock,
                        (text, p) -> text,
                        table -> {
                            Long id = snapshots.get(table);
                            return id == null
                                    ? java.util.OptionalLong.empty()
                                    : java.util.OptionalLong.of(id);
                        });
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private StoredPipeline pipeline(String extra) {
        String json =
                "{\"name\": \"nightly\", \"mode\": \"batch\", "
                        + extra
                        + " \"sources\": [{\"id\": \"in\", \"type\": \"kafka\", \"config\":"
                        + " {\"topic\": \"t\"}}], \"sinks\": [{\"id\": \"out\", \"type\":"
                        + " \"kafka\", \"inputs\": [\"in\"], \"config\": {\"topic\": \"u\"}}]}";
        StoredPipeline p =
                StoredPipeline.created("nightly", json).withState(PipelineState.PENDING, null);
        store.put(p);
        return p;
    }

    private void tick() {
        runner.tick(store.get("nightly").orElseThrow());
    }

    @Test
    void scheduledRunsStartWhenDueAndRecordTheirRows() {
        pipeline("\"schedule\": {\"cron\": \"*/5 * * * *\", \"timezone\": \"UTC\"},");
        tick();
        assertThat(launches).as("not due before 10:05").isEmpty();

        clock.set("2026-11-22T10:05:01Z");
        tick();
        assertThat(launches).containsExactly("job1");
        assertThat(store.get("nightly").orElseThrow().state()).isEqualTo(PipelineState.RUNNING);

        cluster.phases.put("job1", JobSubmitter.JobState.Phase.FINISHED);
        cluster.accumulators.put(
                "job1",
                Map.of(
                        JobComposer.ROWS_READ, 100L,
                        JobComposer.ROWS_WRITTEN, 97L,
                        JobComposer.ROWS_DEAD_LETTERED, 3L));
        clock.set("2026-11-22T10:06:00Z");
        tick();
        BatchRun run = store.runs("nightly").get(0);
        assertThat(run.state()).isEqualTo(BatchRun.State.FINISHED);
        assertThat(run.cause()).isEqualTo("schedule");
        assertThat(run.startedAt()).isEqualTo(Instant.parse("2026-11-22T10:05:01Z"));
        assertThat(run.endedAt()).isEqualTo(Instant.parse("2026-11-22T10:06:00Z"));
        assertThat(List.of(run.rowsRead(), run.rowsWritten(), run.rowsDeadLettered()))
                .containsExactly(100L, 97L, 3L);
        assertThat(store.get("nightly").orElseThrow().state()).isEqualTo(PipelineState.PENDING);
    }

    @Test
    void aRunDueWhileAnotherIsGoingIsSkippedAndAManualRunIsRefused() {
        pipeline("\"schedule\": {\"cron\": \"* * * * *\"},");
        tick();
        clock.set("2026-11-22T10:01:00Z");
        tick();
        assertThat(launches).containsExactly("job1");

        clock.set("2026-11-22T10:02:00Z");
        tick();
        assertThat(launches).as("never two runs at once").containsExactly("job1");
        List<BatchRun> runs = store.runs("nightly");
        assertThat(runs)
                .extracting(BatchRun::id, BatchRun::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, BatchRun.State.SKIPPED),
                        org.assertj.core.groups.Tuple.tuple(1L, BatchRun.State.RUNNING));
        assertThat(runs.get(0).error()).isEqualTo("the previous run was still going");

        assertThatThrownBy(() -> runner.runNow(store.get("nightly").orElseThrow()))
                .isInstanceOf(ApiException.class)
                .hasMessage(
                        "run 1 of pipeline 'nightly' is still going; a batch pipeline runs one run"
                                + " at a time");
    }

    @Test
    void aFailedAttemptIsRetriedAfterTheBackoffThenTheRunFails() {
        pipeline("\"retry\": {\"attempts\": 2, \"backoff\": \"PT30S\"},");
        BatchRun first = runner.runNow(store.get("nightly").orElseThrow());
        assertThat(first.cause()).isEqualTo("manual");
        cluster.phases.put("job1", JobSubmitter.JobState.Phase.FAILED);
        cluster.failures.put("job1", "SQLException: connection refused");
        tick();
        BatchRun waiting = store.runs("nightly").get(0);
        assertThat(waiting.state()).isEqualTo(BatchRun.State.RUNNING);
        assertThat(waiting.attempt()).isEqualTo(2);
        assertThat(waiting.retryAt()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(store.get("nightly").orElseThrow().reason())
                .startsWith(
                        "run 1 attempt 1 of 2 failed (its Flink job job1 failed:"
                                + " SQLException: connection refused); retrying at");

        tick();
        assertThat(launches).as("not before the backoff").containsExactly("job1");
        clock.advance(Duration.ofSeconds(30));
        tick();
        assertThat(launches).containsExactly("job1", "job2");

        cluster.phases.put("job2", JobSubmitter.JobState.Phase.UNKNOWN);
        tick();
        BatchRun failed = store.runs("nightly").get(0);
        assertThat(failed.state()).isEqualTo(BatchRun.State.FAILED);
        assertThat(failed.error())
                .isEqualTo("its Flink job job2 was lost (the platform restarted)");
        StoredPipeline p = store.get("nightly").orElseThrow();
        assertThat(p.state()).isEqualTo(PipelineState.FAILED);
        assertThat(p.reason())
                .isEqualTo(
                        "run 1 failed after 2 attempts: its Flink job job2 was lost (the platform"
                                + " restarted)");
    }

    @Test
    void aRunThatCannotStartFailsWithTheReason() {
        pipeline("");
        launchFailure = new IllegalStateException("topic t does not exist");
        BatchRun run = runner.runNow(store.get("nightly").orElseThrow());
        assertThat(run.state()).isEqualTo(BatchRun.State.FAILED);
        assertThat(run.error()).contains("the run could not start", "topic t does not exist");
    }

    @Test
    void aNewSnapshotOfTheTriggerTableStartsARunOnce() {
        pipeline("\"trigger\": {\"on\": \"iceberg-snapshot\", \"table\": \"db.orders\"},");
        snapshots.put("db.orders", 10L);
        tick();
        assertThat(launches).as("the first look only notes snapshot 10").isEmpty();

        snapshots.put("db.orders", 11L);
        tick();
        assertThat(launches).as("the catalog is asked at most every 2 s").isEmpty();
        clock.advance(Duration.ofSeconds(2));
        tick();
        assertThat(launches).containsExactly("job1");
        assertThat(store.runs("nightly").get(0).cause()).isEqualTo("trigger");

        // A snapshot while the run is going runs once it ended.
        snapshots.put("db.orders", 12L);
        clock.advance(Duration.ofSeconds(2));
        tick();
        assertThat(launches).containsExactly("job1");
        cluster.phases.put("job1", JobSubmitter.JobState.Phase.FINISHED);
        clock.advance(Duration.ofSeconds(2));
        tick();
        assertThat(launches).containsExactly("job1", "job2");
        clock.advance(Duration.ofSeconds(2));
        cluster.phases.put("job2", JobSubmitter.JobState.Phase.FINISHED);
        tick();
        assertThat(launches).as("no new snapshot, no run").containsExactly("job1", "job2");
    }

    /** A cluster whose job states the test sets. */
    private static final class ScriptedCluster implements JobSubmitter {
        final Map<String, JobState.Phase> phases = new HashMap<>();
        final Map<String, String> failures = new HashMap<>();
        final Map<String, Map<String, Long>> accumulators = new HashMap<>();

        @Override
        public String submit(StreamGraph graph) {
            throw new UnsupportedOperationException("the launcher submits");
        }

        @Override
        public JobState state(String jobId) {
            return new JobState(
                    phases.getOrDefault(jobId, JobState.Phase.UNKNOWN), failures.get(jobId), 0);
        }

        @Override
        public String stopWithSavepoint(String jobId, String directory) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cancel(String jobId) {
            phases.put(jobId, JobState.Phase.CANCELED);
        }

        @Override
        public Map<String, Long> accumulators(String jobId) {
            return accumulators.getOrDefault(jobId, Map.of());
        }

        @Override
        public String dashboardUrl() {
            return "http://localhost";
        }

        @Override
        public void close() {}
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(String instant) {
            now = Instant.parse(instant);
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
