package dev.sluice.controller.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.controller.definition.PipelineDefinition;
import dev.sluice.controller.definition.PipelineJson;
import dev.sluice.controller.definition.SecretReferences;
import dev.sluice.controller.deployment.JobSubmitter;
import dev.sluice.controller.deployment.JobSubmitter.JobState;
import dev.sluice.controller.planning.JobComposer;
import dev.sluice.controller.planning.JobSettings;
import dev.sluice.controller.planning.PipelinePlan;
import dev.sluice.controller.planning.PipelinePlanner;
import dev.sluice.controller.planning.PlannedNode;
import dev.sluice.controller.store.PipelineState;
import dev.sluice.controller.store.PipelineStore;
import dev.sluice.controller.store.StoredPipeline;
import dev.sluice.schemas.PlatformSchemas;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.sdk.factory.Provisioner;
import dev.sluice.sdk.factory.TopicSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's use cases: apply, update, pause, resume and delete pipelines; keep their state
 * in line with their Flink jobs; bring them back after the platform restarts.
 *
 * <p>Validation and planning run on the caller's thread, so a bad pipeline is refused before
 * anything is stored. Everything that touches jobs runs on one deployer thread, so operations on
 * jobs never race each other or the reconciler.
 */
public final class PipelineService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineService.class);

    private final PipelineStore store;
    private final PipelinePlanner planner;
    private final JobComposer composer = new JobComposer();
    private final JobSubmitter submitter;
    private final Provisioner provisioner;
    private final Path dataDir;
    private final String bootstrapServers;
    private final Function<String, String> env;
    private final ScheduledExecutorService deployer;
    private final Map<String, PlanSummary> summaries = new ConcurrentHashMap<>();
    private final DeadLetterReplayer replayer;

    public PipelineService(
            PipelineStore store,
            PipelinePlanner planner,
            JobSubmitter submitter,
            Provisioner provisioner,
            Path dataDir,
            String bootstrapServers,
            Function<String, String> env,
            SchemaRegistryClient registry) {
        this.replayer = new DeadLetterReplayer(bootstrapServers, registry, store);
        this.store = store;
        this.planner = planner;
        this.submitter = submitter;
        this.provisioner = provisioner;
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
        this.env = env;
        this.deployer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "sluice-deployer");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Resubmits every pipeline that was not paused, then starts watching jobs. */
    public void start() {
        for (StoredPipeline p : store.list()) {
            if (p.state() == PipelineState.PAUSED) {
                continue;
            }
            if (p.state() == PipelineState.DELETING) {
                deployer.execute(() -> finishDelete(p.name()));
                continue;
            }
            store.put(
                    p.withJob(null)
                            .withState(
                                    PipelineState.DEPLOYING,
                                    "the platform started; resubmitting from the latest"
                                            + " checkpoint"));
            deployer.execute(() -> deploy(p.name()));
        }
        deployer.scheduleWithFixedDelay(this::reconcile, 1, 1, TimeUnit.SECONDS);
    }

    /** The outcome of an apply: whether the pipeline is new, and its stored form. */
    public static final class Applied {
        public final boolean created;
        public final StoredPipeline pipeline;

        Applied(boolean created, StoredPipeline pipeline) {
            this.created = created;
            this.pipeline = pipeline;
        }
    }

    /** Creates or updates the pipeline {@code name} from its JSON. */
    public Applied apply(String name, String json) {
        PipelineDefinition definition = PipelineJson.parse(json);
        if (!definition.name().equals(name)) {
            throw new ApiException(
                    400,
                    "the pipeline's name '"
                            + definition.name()
                            + "' does not match the name in the URL '"
                            + name
                            + "'",
                    "/name");
        }
        if (definition.mode() != PipelineDefinition.Mode.STREAMING) {
            throw new ApiException(
                    400, "mode 'batch' is not available yet; allowed: streaming", "/mode");
        }
        PipelinePlan plan = planner.plan(definition, env);
        String canonical = PipelineJson.toJson(definition);
        return call(
                () -> {
                    Optional<StoredPipeline> existing = store.get(name);
                    provision(plan);
                    summaries.put(name, PlanSummary.of(plan));
                    if (existing.isEmpty()) {
                        StoredPipeline p =
                                StoredPipeline.created(name, canonical)
                                        .withState(PipelineState.DEPLOYING, "submitting the job");
                        store.put(p);
                        deployer.execute(() -> deploy(name));
                        return new Applied(true, p);
                    }
                    StoredPipeline old = existing.get();
                    String restore = old.restorePath();
                    if (old.jobId() != null) {
                        restore = stopWithSavepoint(old);
                    }
                    StoredPipeline p =
                            old.withDefinition(canonical)
                                    .withJob(null)
                                    .withRestorePath(restore)
                                    .withState(
                                            PipelineState.DEPLOYING,
                                            "updating: starting the new plan from the savepoint"
                                                    + " of the previous job");
                    store.put(p);
                    deployer.execute(() -> deploy(name));
                    return new Applied(false, p);
                });
    }

    /** The pipeline called {@code name}. */
    public StoredPipeline get(String name) {
        return store.get(name).orElseThrow(() -> ApiException.notFound(name));
    }

    /** All pipelines. */
    public List<StoredPipeline> list() {
        return store.list();
    }

    /** What the pipeline's plan created: topics, schemas, operators. */
    public Optional<PlanSummary> summary(String name) {
        PlanSummary s = summaries.get(name);
        if (s != null) {
            return Optional.of(s);
        }
        try {
            StoredPipeline p = get(name);
            PlanSummary computed =
                    PlanSummary.of(planner.plan(PipelineJson.parse(p.definitionJson()), env));
            summaries.put(name, computed);
            return Optional.of(computed);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stops the pipeline's job with a savepoint; {@link #resume} starts it from there. */
    public StoredPipeline pause(String name) {
        return call(
                () -> {
                    StoredPipeline p = get(name);
                    if (p.state() == PipelineState.PAUSED) {
                        return p;
                    }
                    String savepoint = p.restorePath();
                    if (p.jobId() != null) {
                        savepoint = stopWithSavepoint(p);
                    }
                    StoredPipeline paused =
                            p.withJob(null)
                                    .withRestorePath(savepoint)
                                    .withState(PipelineState.PAUSED, null);
                    store.put(paused);
                    return paused;
                });
    }

    /** Starts a paused pipeline from its savepoint. */
    public StoredPipeline resume(String name) {
        return call(
                () -> {
                    StoredPipeline p = get(name);
                    if (p.state() != PipelineState.PAUSED) {
                        throw ApiException.conflict(
                                "pipeline '"
                                        + name
                                        + "' is "
                                        + p.state()
                                        + "; only a PAUSED pipeline can be resumed");
                    }
                    StoredPipeline resumed =
                            p.withState(PipelineState.DEPLOYING, "resuming from the savepoint");
                    store.put(resumed);
                    deployer.execute(() -> deploy(name));
                    return resumed;
                });
    }

    /**
     * Re-injects the pipeline's dead letters (all, or those of one processor) that were not
     * replayed before; returns how many.
     */
    public int replayDeadLetters(String name, String processor) {
        StoredPipeline p = get(name);
        if (processor != null) {
            PipelineDefinition definition = PipelineJson.parse(p.definitionJson());
            if (definition.node(processor).isEmpty()) {
                throw new ApiException(
                        400,
                        "node '"
                                + processor
                                + "' is not part of pipeline '"
                                + name
                                + "'; its nodes: "
                                + String.join(", ", definition.nodeIds()),
                        "/processor");
            }
        }
        return call(() -> replayer.replay(name, processor));
    }

    /** Stops the pipeline's job and removes it; topics it wrote stay. */
    public void delete(String name) {
        call(
                () -> {
                    StoredPipeline p = get(name);
                    store.put(p.withState(PipelineState.DELETING, "stopping its job"));
                    finishDelete(name);
                    return null;
                });
    }

    private void finishDelete(String name) {
        store.get(name)
                .ifPresent(
                        p -> {
                            if (p.jobId() != null) {
                                try {
                                    JobState.Phase phase = submitter.state(p.jobId()).phase();
                                    if (phase == JobState.Phase.FAILED
                                            || phase == JobState.Phase.CANCELED
                                            || phase == JobState.Phase.FINISHED
                                            || phase == JobState.Phase.UNKNOWN) {
                                        return;
                                    }
                                    submitter.cancel(p.jobId());
                                } catch (Exception e) {
                                    LOG.warn(
                                            "could not cancel the job of {}: {}",
                                            name,
                                            e.toString());
                                }
                            }
                        });
        store.get(name).ifPresent(this::decommissionSources);
        deleteRecursively(checkpointDir(name));
        deleteRecursively(savepointDir(name));
        summaries.remove(name);
        store.delete(name);
    }

    /** Lets each source release what it holds outside Kafka (replication slots, ...). */
    private void decommissionSources(StoredPipeline p) {
        PipelinePlan plan;
        try {
            plan = planner.plan(PipelineJson.parse(p.definitionJson()), env);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not plan {} to release its sources' resources: {}",
                    p.name(),
                    e.getMessage());
            return;
        }
        for (PlannedNode node : plan.nodes().values()) {
            if (node.isSource()) {
                try {
                    node.asSource().decommission();
                } catch (RuntimeException e) {
                    LOG.warn(
                            "source {} of {} could not release its resources: {}",
                            node.definition().id(),
                            p.name(),
                            e.getMessage());
                }
            }
        }
    }

    // ---------------------------------------------------------------- on the deployer thread

    private void deploy(String name) {
        Optional<StoredPipeline> stored = store.get(name);
        if (stored.isEmpty()
                || stored.get().state() != PipelineState.DEPLOYING
                || stored.get().jobId() != null) {
            return;
        }
        StoredPipeline p = stored.get();
        try {
            PipelineDefinition definition = PipelineJson.parse(p.definitionJson());
            PipelinePlan plan = planner.plan(definition, env);
            int dlqSchemaId = provision(plan);
            summaries.put(name, PlanSummary.of(plan));
            String restore =
                    CheckpointLocator.newest(checkpointDir(name), p.restorePath()).orElse(null);
            JobSettings settings =
                    JobSettings.builder()
                            .bootstrapServers(bootstrapServers)
                            .checkpointDir(checkpointDir(name))
                            .deadLetterSchemaId(dlqSchemaId)
                            .restorePath(restore)
                            .pluginJars(planner.factories().pluginJars())
                            .build();
            String jobId = submitter.submit(composer.compose(plan, settings));
            LOG.info(
                    "pipeline {}: submitted Flink job {}{}",
                    name,
                    jobId,
                    restore == null ? "" : " restoring from " + restore);
            store.put(
                    p.withJob(jobId)
                            .withState(
                                    PipelineState.DEPLOYING,
                                    "job " + jobId + " submitted; waiting for its tasks to run"));
        } catch (Exception e) {
            String reason = mask("deploy failed: " + describe(e), p);
            LOG.warn("pipeline {}: {}", name, reason);
            store.put(p.withState(PipelineState.FAILED, reason));
        }
    }

    private void reconcile() {
        try {
            for (StoredPipeline p : store.list()) {
                if (p.jobId() == null
                        || !(p.state() == PipelineState.DEPLOYING
                                || p.state() == PipelineState.RUNNING)) {
                    continue;
                }
                JobState job = submitter.state(p.jobId());
                switch (job.phase()) {
                    case RUNNING:
                        if (p.state() != PipelineState.RUNNING
                                || p.reason() != null
                                || p.restarts() != job.restarts()) {
                            store.put(
                                    p.withRestarts(job.restarts())
                                            .withState(PipelineState.RUNNING, null));
                        }
                        break;
                    case RESTARTING:
                        store.put(
                                p.withRestarts(job.restarts())
                                        .withState(
                                                PipelineState.RUNNING,
                                                mask(
                                                        "restarting after a task failure: "
                                                                + job.failure(),
                                                        p)));
                        break;
                    case FAILED:
                        store.put(
                                p.withRestarts(job.restarts())
                                        .withState(
                                                PipelineState.FAILED,
                                                mask(
                                                        "the Flink job "
                                                                + p.jobId()
                                                                + " failed and its restart"
                                                                + " strategy gave up: "
                                                                + job.failure(),
                                                        p)));
                        break;
                    case CANCELED:
                    case FINISHED:
                        store.put(
                                p.withState(
                                        PipelineState.FAILED,
                                        "the Flink job "
                                                + p.jobId()
                                                + " ended ("
                                                + job.phase()
                                                + ") without the controller asking"));
                        break;
                    case UNKNOWN:
                        store.put(
                                p.withJob(null)
                                        .withState(
                                                PipelineState.DEPLOYING,
                                                "the Flink job was lost; resubmitting from the"
                                                        + " latest checkpoint"));
                        deploy(p.name());
                        break;
                    default:
                        break;
                }
            }
        } catch (Exception e) {
            LOG.warn("reconciling pipelines failed: {}", e.toString());
        }
    }

    /** Creates the topics and schemas of a plan; returns the dead-letter schema id. */
    private int provision(PipelinePlan plan) {
        for (PlannedNode node : plan.nodes().values()) {
            if (node.isSource()) {
                node.asSource().provision(provisioner);
            } else if (node.isSink()) {
                node.asSink().provision(provisioner);
            } else {
                node.asProcessor().provision(provisioner);
            }
        }
        provisioner.ensureTopic(new TopicSpec(plan.deadLetterTopic(), 1, Map.of()));
        return provisioner.registerSchema(
                plan.deadLetterTopic() + "-value", PlatformSchemas.DEAD_LETTER);
    }

    private String stopWithSavepoint(StoredPipeline p) throws Exception {
        JobState state = submitter.state(p.jobId());
        if (state.phase() == JobState.Phase.RUNNING) {
            return submitter.stopWithSavepoint(
                    p.jobId(), savepointDir(p.name()).toUri().toString());
        }
        // Not running (failed, starting, lost): cancel; the retained checkpoint is the restore
        // point.
        submitter.cancel(p.jobId());
        return p.restorePath();
    }

    /** Stops every running job with a savepoint, for a clean platform stop. */
    public void stopAll() {
        call(
                () -> {
                    for (StoredPipeline p : store.list()) {
                        if (p.jobId() == null) {
                            continue;
                        }
                        try {
                            String savepoint = stopWithSavepoint(p);
                            store.put(p.withJob(null).withRestorePath(savepoint));
                            LOG.info("pipeline {}: stopped with savepoint {}", p.name(), savepoint);
                        } catch (Exception e) {
                            LOG.warn(
                                    "pipeline {}: stop with savepoint failed ({}); its latest"
                                            + " checkpoint will be used",
                                    p.name(),
                                    e.toString());
                            store.put(p.withJob(null));
                        }
                    }
                    return null;
                });
    }

    private <T> T call(Callable<T> work) {
        Future<T> f = deployer.submit(work);
        try {
            return f.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(describe(e), e);
        }
    }

    private String mask(String text, StoredPipeline p) {
        if (text == null) {
            return null;
        }
        try {
            List<String> secrets = new ArrayList<>();
            for (String var :
                    SecretReferences.referencedVariables(PipelineJson.parse(p.definitionJson()))) {
                String v = env.apply(var);
                if (v != null && !v.isEmpty()) {
                    secrets.add(v);
                }
            }
            return SecretReferences.mask(text, secrets);
        } catch (RuntimeException e) {
            return text;
        }
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null
                && t.getCause() != t
                && (t.getMessage() == null || t instanceof ExecutionException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private Path checkpointDir(String name) {
        return dataDir.resolve("checkpoints").resolve(name).toAbsolutePath();
    }

    private Path savepointDir(String name) {
        return dataDir.resolve("savepoints").resolve(name).toAbsolutePath();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    /** The canonical JSON of a stored definition, as GET shows it (secrets stay references). */
    public static JsonNode definitionOf(StoredPipeline p) {
        return PipelineJson.toJsonNode(PipelineJson.parse(p.definitionJson()));
    }

    @Override
    public void close() {
        deployer.shutdownNow();
    }
}
