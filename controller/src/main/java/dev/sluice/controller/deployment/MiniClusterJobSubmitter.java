package dev.sluice.controller.deployment;

import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.messages.FlinkJobNotFoundException;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ExceptionUtils;

/**
 * Runs jobs on the platform's own long-lived {@link MiniCluster} (one per platform, never one per
 * job), which also serves the Flink web dashboard.
 */
public final class MiniClusterJobSubmitter implements JobSubmitter {
    private static final long TIMEOUT_S = 60;
    private final MiniCluster cluster;
    private final String dashboardUrl;

    public MiniClusterJobSubmitter(MiniCluster cluster, String dashboardUrl) {
        this.cluster = cluster;
        this.dashboardUrl = dashboardUrl;
    }

    @Override
    public String submit(StreamGraph graph) throws Exception {
        return cluster.submitJob(graph).get(TIMEOUT_S, TimeUnit.SECONDS).getJobID().toHexString();
    }

    @Override
    public JobState state(String jobId) throws Exception {
        JobID id = JobID.fromHexString(jobId);
        AccessExecutionGraph graph;
        try {
            graph = cluster.getExecutionGraph(id).get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (ExceptionUtils.findThrowable(e, FlinkJobNotFoundException.class).isPresent()) {
                return new JobState(JobState.Phase.UNKNOWN, null, 0);
            }
            throw e;
        }
        JobStatus status = graph.getState();
        long restarts = 0;
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            restarts = Math.max(restarts, v.getCurrentExecutionAttempt().getAttemptNumber());
        }
        JobState.Phase phase = JobState.Phase.of(status);
        if (phase == JobState.Phase.RUNNING) {
            for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
                ExecutionState s = v.getExecutionState();
                if (s != ExecutionState.RUNNING && s != ExecutionState.FINISHED) {
                    phase = JobState.Phase.STARTING;
                }
            }
        }
        boolean failing = phase == JobState.Phase.RESTARTING || phase == JobState.Phase.FAILED;
        return new JobState(phase, failing ? failure(graph) : null, restarts);
    }

    private static String failure(AccessExecutionGraph graph) {
        ErrorInfo info = graph.getFailureInfo();
        if (info == null) {
            return null;
        }
        Throwable root =
                ExceptionUtils.stripCompletionException(
                        info.getException().deserializeError(ClassLoader.getSystemClassLoader()));
        Throwable cause = root;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return cause.getClass().getSimpleName() + message;
    }

    @Override
    public String stopWithSavepoint(String jobId, String directory) throws Exception {
        return cluster.stopWithSavepoint(
                        JobID.fromHexString(jobId), directory, false, SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
    }

    @Override
    public void cancel(String jobId) throws Exception {
        try {
            cluster.cancelJob(JobID.fromHexString(jobId)).get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (ExceptionUtils.findThrowable(e, FlinkJobNotFoundException.class).isEmpty()) {
                throw e;
            }
        }
    }

    @Override
    public java.util.Map<String, Long> accumulators(String jobId) throws Exception {
        AccessExecutionGraph graph;
        try {
            graph =
                    cluster.getExecutionGraph(JobID.fromHexString(jobId))
                            .get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (ExceptionUtils.findThrowable(e, FlinkJobNotFoundException.class).isPresent()) {
                return java.util.Map.of();
            }
            throw e;
        }
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (org.apache.flink.runtime.accumulators.StringifiedAccumulatorResult r :
                graph.getAccumulatorResultsStringified()) {
            try {
                out.put(r.getName(), Long.parseLong(r.getValue()));
            } catch (NumberFormatException e) {
                // not a counter
            }
        }
        return out;
    }

    @Override
    public String dashboardUrl() {
        return dashboardUrl;
    }

    @Override
    public void close() {
        // The cluster belongs to the platform, which closes it.
    }
}
