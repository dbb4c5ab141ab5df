package dev.sluice.controller.deployment;

import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * Where pipeline jobs run. The embedded MiniCluster is the first implementation; a remote Flink
 * cluster (submitting the job graph plus the Sluice runtime jar over Flink's REST API) is the next.
 * Everything the controller does to a job goes through here.
 */
public interface JobSubmitter extends AutoCloseable {

    /** Submits a job and returns its Flink job id (hex). */
    String submit(StreamGraph graph) throws Exception;

    /** The job's state and, when it failed, why. */
    JobState state(String jobId) throws Exception;

    /** Stops the job with a savepoint under {@code directory}; returns the savepoint's path. */
    String stopWithSavepoint(String jobId, String directory) throws Exception;

    /** Cancels the job (its retained checkpoints stay). */
    void cancel(String jobId) throws Exception;

    /**
     * The job's numeric accumulators by name (a batch run's row counts); empty when the job is
     * unknown.
     */
    java.util.Map<String, Long> accumulators(String jobId) throws Exception;

    /** The address of the Flink web dashboard / REST API. */
    String dashboardUrl();

    /** A job's state as the controller needs it. */
    final class JobState {
        /** Coarse Flink job states. */
        public enum Phase {
            /** Created, scheduled or its tasks deploying. */
            STARTING,
            RUNNING,
            RESTARTING,
            FAILED,
            CANCELED,
            FINISHED,
            /** The cluster does not know the job (e.g. after a platform restart). */
            UNKNOWN;

            /** The phase of a Flink job status (a RUNNING job's tasks may still be deploying). */
            public static Phase of(org.apache.flink.api.common.JobStatus status) {
                switch (status) {
                    case RUNNING:
                        return RUNNING;
                    case INITIALIZING:
                    case CREATED:
                    case RECONCILING:
                        return STARTING;
                    case RESTARTING:
                    case FAILING:
                        return RESTARTING;
                    case FAILED:
                        return FAILED;
                    case CANCELED:
                    case CANCELLING:
                    case SUSPENDED:
                        return CANCELED;
                    case FINISHED:
                        return FINISHED;
                    default:
                        return UNKNOWN;
                }
            }
        }

        private final Phase phase;
        private final String failure;
        private final long restarts;

        public JobState(Phase phase, String failure, long restarts) {
            this.phase = phase;
            this.failure = failure;
            this.restarts = restarts;
        }

        public Phase phase() {
            return phase;
        }

        /** The root cause of a failure, or {@code null}. */
        public String failure() {
            return failure;
        }

        /** How often the job restarted after task failures. */
        public long restarts() {
            return restarts;
        }
    }
}
