package dev.sluice.controller.deployment;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.messages.FlinkJobNotFoundException;
import org.apache.flink.runtime.rest.util.RestClientException;
import org.apache.flink.shaded.netty4.io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ExceptionUtils;

/**
 * Runs jobs on a Flink cluster the platform does not own (a standalone session cluster, or one run
 * by the Flink Kubernetes Operator), through its REST API. The job graph travels with the Sluice
 * runtime jar (processors, connectors and their dependencies), so the cluster needs nothing of
 * Sluice installed. Checkpoint and savepoint directories must be reachable by the cluster.
 */
public final class RemoteClusterJobSubmitter implements JobSubmitter {
    private static final long TIMEOUT_S = 120;
    private final String restUrl;
    private final List<Path> jars;
    private final RestClusterClient<StandaloneClusterId> client;

    public RemoteClusterJobSubmitter(String restUrl, List<Path> jars) throws Exception {
        URI uri = URI.create(restUrl);
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException(
                    "the Flink REST address must look like http://host:port, got '"
                            + restUrl
                            + "'");
        }
        this.restUrl = restUrl.replaceAll("/+$", "");
        this.jars = List.copyOf(jars);
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, uri.getHost());
        conf.set(RestOptions.PORT, uri.getPort());
        this.client = new RestClusterClient<>(conf, StandaloneClusterId.getInstance());
    }

    @Override
    public String submit(StreamGraph graph) throws Exception {
        JobGraph jobGraph = graph.getJobGraph();
        for (Path jar : jars) {
            jobGraph.addJar(new org.apache.flink.core.fs.Path(jar.toUri()));
        }
        // The job graph does not inherit the stream graph's jars (the plugin jars): add them.
        for (org.apache.flink.core.fs.Path jar : graph.getUserJars()) {
            jobGraph.addJar(jar);
        }
        return client.submitJob(jobGraph).get(TIMEOUT_S, TimeUnit.SECONDS).toHexString();
    }

    @Override
    public JobState state(String jobId) throws Exception {
        JobID id = JobID.fromHexString(jobId);
        JobStatus status;
        try {
            status = client.getJobStatus(id).get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (notFound(e)) {
                return new JobState(JobState.Phase.UNKNOWN, null, 0);
            }
            throw e;
        }
        JobState.Phase phase = JobState.Phase.of(status);
        return new JobState(phase, phase == JobState.Phase.FAILED ? failure(id) : null, 0);
    }

    private String failure(JobID id) {
        try {
            JobResult result = client.requestJobResult(id).get(TIMEOUT_S, TimeUnit.SECONDS);
            Optional<Throwable> error =
                    result.getSerializedThrowable()
                            .map(t -> t.deserializeError(getClass().getClassLoader()));
            if (error.isEmpty()) {
                return null;
            }
            Throwable cause = error.get();
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            return cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        } catch (Exception e) {
            return "the cluster did not say why (" + e.getMessage() + ")";
        }
    }

    private static boolean notFound(Throwable e) {
        if (ExceptionUtils.findThrowable(e, FlinkJobNotFoundException.class).isPresent()) {
            return true;
        }
        return ExceptionUtils.findThrowable(e, RestClientException.class)
                .map(r -> r.getHttpResponseStatus().equals(HttpResponseStatus.NOT_FOUND))
                .orElse(false);
    }

    @Override
    public String stopWithSavepoint(String jobId, String directory) throws Exception {
        return client.stopWithSavepoint(
                        JobID.fromHexString(jobId), false, directory, SavepointFormatType.CANONICAL)
                .get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Override
    public void cancel(String jobId) throws Exception {
        try {
            client.cancel(JobID.fromHexString(jobId)).get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (!notFound(e)) {
                throw e;
            }
        }
    }

    @Override
    public java.util.Map<String, Long> accumulators(String jobId) throws Exception {
        java.util.Map<String, Object> raw =
                client.getAccumulators(JobID.fromHexString(jobId), getClass().getClassLoader())
                        .get(TIMEOUT_S, TimeUnit.SECONDS);
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        raw.forEach(
                (name, value) -> {
                    if (value instanceof Number) {
                        out.put(name, ((Number) value).longValue());
                    }
                });
        return out;
    }

    @Override
    public String dashboardUrl() {
        return restUrl;
    }

    @Override
    public void close() {
        client.close();
    }
}
