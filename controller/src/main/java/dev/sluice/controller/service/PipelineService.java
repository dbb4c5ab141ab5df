package dev.sluice.controller.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.controller.definition.PipelineDefinition;
import dev.sluice.controller.definition.PipelineJson;
import dev.sluice.controller.definition.SecretReferences;
import dev.sluice.controller.deployment.JobSubmitter;
import dev.sluice.controller.deployment.JobSubmitter.JobState;
import dev.sluice.controller.planning.JobComposer;
import dev.sluice.controller.planning.JobLayout;
import dev.sluice.controller.planning.JobSettings;
import dev.sluice.controller.planning.PipelinePlan;
import dev.sluice.controller.planning.PipelinePlanner;
import dev.sluice.controller.planning.PlannedNode;
import dev.sluice.controller.store.BatchRun;
import dev.sluice.controller.store.JobIds;
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
import java.util.LinkedHashMap;
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
    private final SchemaRegistryClient registry;
    private final JobComposer composer = new JobComposer();
    private final JobSubmitter submitter;
    private final Provisioner provisioner;
    private final Path dataDir;
    private final String bootstrapServers;
    private final Function<String, String> env;
    private final ScheduledExecutorService deployer;
    private final Map<String, PlanSummary> summaries = new ConcurrentHashMap<>();

    /** The latest plan of each pipeline (for lineage), replaced whenever it is planned again. */
    private final Map<String, PipelinePlan> plans = new ConcurrentHashMap<>();

    /** The schema ids of the source topics each running pipeline was planned against. */
    private final Map<String, Map<String, Integer>> watched = new ConcurrentHashMap<>();

    private final DeadLetterReplayer replayer;
    private final BatchRunner batch;

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
        this.registry = registry;
        this.batch =
                new BatchRunner(
                        store,
                        submitter,
                        this::launchBatch,
                        java.time.Clock.systemUTC(),
                        this::mask,
                        this::currentSnapshot);
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
            if (p.state() == PipelineState.PAUSED || p.state() == PipelineState.BLOCKED) {
                continue;
            }
            if (p.state() == PipelineState.DELETING) {
                deployer.execute(() -> finishDelete(p.name()));
                continue;
            }
            if (isBatch(p)) {
                // Runs are followed by the reconciler: one whose job was lost is retried or failed.
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
        PipelinePlan plan = planner.plan(definition, env);
        List<JobLayout.Unit> units = JobLayout.of(plan);
        checkPublishedSchemas(plan);
        String canonical = PipelineJson.toJson(definition);
        boolean isBatch = definition.mode() == PipelineDefinition.Mode.BATCH;
        return call(
                () -> {
                    Optional<StoredPipeline> existing = store.get(name);
                    provision(plan);
                    summaries.put(name, PlanSummary.of(plan, units));
                    plans.put(name, plan);
                    if (isBatch) {
                        return applyBatch(name, canonical, definition, existing);
                    }
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

    /**
     * Refuses (409) a plan whose {@code kafka} sinks would register a value schema that the
     * subject's compatibility level does not allow, before anything is provisioned: the message
     * names the topic, the broken rules (with the fields) and the pipelines that read the topic.
     */
    private void checkPublishedSchemas(PipelinePlan plan) {
        for (PlannedNode node : plan.nodes().values()) {
            if (!node.isSink()
                    || !"kafka".equals(node.definition().type())
                    || node.definition().inputs().size() != 1) {
                continue;
            }
            Object topic = node.definition().config().asMap().get("topic");
            PlannedNode input = plan.node(node.definition().inputs().get(0));
            if (!(topic instanceof String) || input.output() == null) {
                continue;
            }
            dev.sluice.schemas.registry.CompatibilityResult result;
            try {
                result = registry.testCompatibility(topic + "-value", input.output().schema());
            } catch (RuntimeException e) {
                continue; // the registration at provision time reports registry trouble
            }
            if (!result.compatible()) {
                List<String> readers = readersOf((String) topic, plan.definition().name());
                throw new ApiException(
                        409,
                        "the output schema for topic '"
                                + topic
                                + "' is incompatible with the versions registered under '"
                                + topic
                                + "-value' ("
                                + registry.getCompatibility(topic + "-value").orElse("BACKWARD")
                                + "): "
                                + String.join("; ", result.messages())
                                + (readers.isEmpty()
                                        ? ""
                                        : "; pipelines reading it: " + String.join(", ", readers)),
                        node.definition().pointer() + "/config/topic");
            }
        }
    }

    /** The other pipelines with a {@code kafka} source on {@code topic}. */
    private List<String> readersOf(String topic, String except) {
        List<String> readers = new ArrayList<>();
        for (StoredPipeline p : store.list()) {
            if (p.name().equals(except)) {
                continue;
            }
            PipelineDefinition d = PipelineJson.parse(p.definitionJson());
            for (var source : d.sources()) {
                if ("kafka".equals(source.type())
                        && topic.equals(source.config().asMap().get("topic"))) {
                    readers.add(p.name());
                    break;
                }
            }
        }
        return readers;
    }

    /** Stores a batch pipeline: it waits for its schedule, its trigger or a manual run. */
    private Applied applyBatch(
            String name,
            String canonical,
            PipelineDefinition definition,
            Optional<StoredPipeline> existing)
            throws Exception {
        String waiting =
                definition
                        .schedule()
                        .map(
                                sc ->
                                        "waiting for its schedule ("
                                                + sc.cron()
                                                + " "
                                                + sc.timezone()
                                                + ")")
                        .orElse(
                                definition.trigger().isPresent()
                                        ? "waiting for its trigger"
                                        : "waiting for a run (POST .../runs)");
        if (existing.isEmpty()) {
            StoredPipeline p =
                    StoredPipeline.created(name, canonical)
                            .withState(PipelineState.PENDING, waiting);
            store.put(p);
            return new Applied(true, p);
        }
        StoredPipeline old = existing.get();
        if (old.jobId() != null) {
            // It was a streaming pipeline: stop its jobs (their savepoints are not used by runs).
            stopWithSavepoint(old);
        }
        PipelineState state =
                old.state() == PipelineState.PAUSED || old.state() == PipelineState.RUNNING
                        ? old.state()
                        : PipelineState.PENDING;
        StoredPipeline p =
                old.withDefinition(canonical)
                        .withJob(null)
                        .withRestorePath(null)
                        .withState(state, state == PipelineState.PENDING ? waiting : old.reason());
        store.put(p);
        return new Applied(false, p);
    }

    /** Starts a run of a batch pipeline now. */
    public BatchRun runNow(String name) {
        StoredPipeline p = get(name);
        if (!isBatch(p)) {
            throw ApiException.conflict(
                    "pipeline '"
                            + name
                            + "' is a streaming pipeline; runs are for batch pipelines");
        }
        return call(() -> batch.runNow(get(name)));
    }

    /** The runs of a pipeline, newest first (none for a streaming pipeline). */
    public List<BatchRun> runs(String name) {
        get(name);
        return batch.runs(name);
    }

    private static boolean isBatch(StoredPipeline p) {
        return PipelineJson.parse(p.definitionJson()).mode() == PipelineDefinition.Mode.BATCH;
    }

    /** The current snapshot of an Iceberg table of the platform's catalog (for triggers). */
    private java.util.OptionalLong currentSnapshot(String table) {
        return planner.currentSnapshot(table);
    }

    /** Plans, provisions and submits one attempt of a batch run; returns the job id. */
    private String launchBatch(StoredPipeline p, PipelineDefinition definition) throws Exception {
        PipelinePlan plan = planner.plan(definition, env);
        int dlqSchemaId = provision(plan);
        summaries.put(p.name(), PlanSummary.of(plan));
        plans.put(p.name(), plan);
        JobSettings settings =
                JobSettings.builder()
                        .bootstrapServers(bootstrapServers)
                        .checkpointDir(checkpointDir(p.name()))
                        .deadLetterSchemaId(dlqSchemaId)
                        .pluginJars(planner.factories().pluginJars())
                        .build();
        return submitter.submit(composer.compose(plan, settings));
    }

    /**
     * The current plan of every pipeline that can be planned (for lineage); a pipeline whose plan
     * fails now (a database that is down, say) is left out.
     */
    public List<PipelinePlan> currentPlans() {
        List<PipelinePlan> out = new ArrayList<>();
        for (StoredPipeline p : store.list()) {
            PipelinePlan plan = plans.get(p.name());
            if (plan == null
                    || !PipelineJson.toJson(plan.definition()).equals(p.definitionJson())) {
                try {
                    plan = planner.plan(PipelineJson.parse(p.definitionJson()), env);
                    plans.put(p.name(), plan);
                } catch (RuntimeException e) {
                    LOG.debug(
                            "pipeline {} cannot be planned for lineage: {}",
                            p.name(),
                            e.toString());
                    continue;
                }
            }
            out.add(plan);
        }
        return out;
    }

    /** The platform's schema registry (for the catalog). */
    public SchemaRegistryClient registry() {
        return registry;
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
                    if (isBatch(p)) {
                        // Pausing suspends the schedule and trigger; a run that is going ends.
                        StoredPipeline paused =
                                p.withState(
                                        PipelineState.PAUSED,
                                        "its schedule is suspended until it is resumed");
                        store.put(paused);
                        return paused;
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
                    if (isBatch(p)) {
                        StoredPipeline resumed =
                                p.withState(PipelineState.PENDING, "waiting for its next run");
                        store.put(resumed);
                        return resumed;
                    }
                    StoredPipeline resumed =
                            p.withState(PipelineState.DEPLOYING, "resuming from the savepoint");
                    store.put(resumed);
                    deployer.execute(() -> deploy(name));
                    return resumed;
                });
    }

    /**
     * Re-injects the pipeline's dead letters (all, or those of one processor and/or whose error
     * contains {@code reason}) that were not replayed before; returns how many.
     */
    public int replayDeadLetters(String name, String processor, String reason) {
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
        return call(() -> replayer.replay(name, processor, reason));
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
                            for (String jobId : JobIds.parse(p.jobId()).values()) {
                                try {
                                    JobState.Phase phase = submitter.state(jobId).phase();
                                    if (phase == JobState.Phase.FAILED
                                            || phase == JobState.Phase.CANCELED
                                            || phase == JobState.Phase.FINISHED
                                            || phase == JobState.Phase.UNKNOWN) {
                                        continue;
                                    }
                                    submitter.cancel(jobId);
                                } catch (Exception e) {
                                    LOG.warn(
                                            "could not cancel job {} of {}: {}",
                                            jobId,
                                            name,
                                            e.toString());
                                }
                            }
                        });
        batch.cancelCurrent(name);
        store.get(name).ifPresent(this::decommissionSources);
        deleteRecursively(checkpointDir(name));
        deleteRecursively(savepointDir(name));
        summaries.remove(name);
        plans.remove(name);
        watched.remove(name);
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
        Map<String, String> submitted = new LinkedHashMap<>();
        try {
            PipelineDefinition definition = PipelineJson.parse(p.definitionJson());
            PipelinePlan plan = planner.plan(definition, env);
            List<JobLayout.Unit> units = JobLayout.of(plan);
            summaries.put(name, PlanSummary.of(plan, units));
            plans.put(name, plan);
            Map<String, String> restores = JobIds.parse(p.restorePath());
            for (JobLayout.Unit unit : units) {
                PipelinePlan unitPlan =
                        unit.key().isEmpty() ? plan : planner.plan(unit.definition(), env);
                int dlqSchemaId = provision(unitPlan);
                Path checkpoints = checkpointDir(name, unit.key());
                String restore =
                        CheckpointLocator.newest(checkpoints, restores.get(unit.key()))
                                .orElse(null);
                JobSettings settings =
                        JobSettings.builder()
                                .jobKey(unit.key())
                                .bootstrapServers(bootstrapServers)
                                .checkpointDir(checkpoints)
                                .deadLetterSchemaId(dlqSchemaId)
                                .restorePath(restore)
                                .pluginJars(planner.factories().pluginJars())
                                .build();
                String jobId = submitter.submit(composer.compose(unitPlan, settings));
                submitted.put(unit.key(), jobId);
                LOG.info(
                        "pipeline {}: submitted Flink job {}{}{}",
                        name,
                        jobId,
                        unit.key().isEmpty() ? "" : " (" + unit.key() + ")",
                        restore == null ? "" : " restoring from " + restore);
            }
            // After provisioning: a capture source registers its topics' schemas then.
            watched.put(name, SchemaWatch.sourceSchemaIds(plan, registry));
            String jobs = String.join(", ", submitted.values());
            store.put(
                    p.withJob(JobIds.format(submitted))
                            .withState(
                                    PipelineState.DEPLOYING,
                                    (submitted.size() == 1 ? "job " : "jobs ")
                                            + jobs
                                            + " submitted; waiting for their tasks to run"));
        } catch (Exception e) {
            cancelQuietly(name, submitted);
            String reason = mask("deploy failed: " + describe(e), p);
            LOG.warn("pipeline {}: {}", name, reason);
            store.put(p.withState(PipelineState.FAILED, reason));
        }
    }

    private void cancelQuietly(String name, Map<String, String> jobs) {
        for (String jobId : jobs.values()) {
            try {
                submitter.cancel(jobId);
            } catch (Exception e) {
                LOG.warn("pipeline {}: could not cancel job {}: {}", name, jobId, e.toString());
            }
        }
    }

    private void reconcile() {
        try {
            for (StoredPipeline p : store.list()) {
                if (p.state() != PipelineState.DELETING && isBatch(p)) {
                    try {
                        batch.tick(p);
                    } catch (RuntimeException e) {
                        LOG.warn("batch pipeline {}: {}", p.name(), e.toString());
                    }
                    continue;
                }
                if (p.jobId() == null
                        || !(p.state() == PipelineState.DEPLOYING
                                || p.state() == PipelineState.RUNNING)) {
                    continue;
                }
                reconcile(p);
                if (p.state() == PipelineState.RUNNING) {
                    try {
                        followSourceSchemas(p);
                    } catch (Exception e) {
                        LOG.warn(
                                "pipeline {}: checking its source schemas failed: {}",
                                p.name(),
                                e.toString());
                    }
                }
            }
        } catch (Exception e) {
            LOG.warn("reconciling pipelines failed: {}", e.toString());
        }
    }

    /** Brings one pipeline's state in line with its jobs: the worst job decides. */
    private void reconcile(StoredPipeline p) throws Exception {
        Map<String, String> jobs = JobIds.parse(p.jobId());
        Map<String, JobState> states = new LinkedHashMap<>();
        long restarts = 0;
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            JobState state = submitter.state(job.getValue());
            states.put(job.getKey(), state);
            restarts += state.restarts();
        }
        String lost = firstIn(states, JobState.Phase.UNKNOWN);
        String failed = firstIn(states, JobState.Phase.FAILED);
        String ended =
                firstIn(states, JobState.Phase.CANCELED) != null
                        ? firstIn(states, JobState.Phase.CANCELED)
                        : firstIn(states, JobState.Phase.FINISHED);
        String restarting = firstIn(states, JobState.Phase.RESTARTING);
        boolean allRunning =
                states.values().stream().allMatch(s -> s.phase() == JobState.Phase.RUNNING);
        if (lost != null) {
            Map<String, String> others = new LinkedHashMap<>(jobs);
            others.remove(lost);
            cancelQuietly(p.name(), others);
            store.put(
                    p.withJob(null)
                            .withState(
                                    PipelineState.DEPLOYING,
                                    "the Flink job was lost; resubmitting from the latest"
                                            + " checkpoint"));
            deploy(p.name());
        } else if (failed != null) {
            Map<String, String> others = new LinkedHashMap<>(jobs);
            others.remove(failed);
            cancelQuietly(p.name(), others);
            store.put(
                    p.withRestarts(restarts)
                            .withState(
                                    PipelineState.FAILED,
                                    mask(
                                            "the Flink job "
                                                    + describeJob(jobs, failed)
                                                    + " failed and its restart strategy gave up: "
                                                    + states.get(failed).failure(),
                                            p)));
        } else if (ended != null) {
            store.put(
                    p.withState(
                            PipelineState.FAILED,
                            "the Flink job "
                                    + describeJob(jobs, ended)
                                    + " ended ("
                                    + states.get(ended).phase()
                                    + ") without the controller asking"));
        } else if (restarting != null) {
            store.put(
                    p.withRestarts(restarts)
                            .withState(
                                    PipelineState.RUNNING,
                                    mask(
                                            "restarting after a task failure: "
                                                    + states.get(restarting).failure(),
                                            p)));
        } else if (allRunning
                && (p.state() != PipelineState.RUNNING
                        || p.reason() != null
                        || p.restarts() != restarts)) {
            store.put(p.withRestarts(restarts).withState(PipelineState.RUNNING, null));
        }
    }

    private static String firstIn(Map<String, JobState> states, JobState.Phase phase) {
        for (Map.Entry<String, JobState> e : states.entrySet()) {
            if (e.getValue().phase() == phase) {
                return e.getKey();
            }
        }
        return null;
    }

    private static String describeJob(Map<String, String> jobs, String key) {
        return jobs.get(key) + (key.isEmpty() ? "" : " (" + key + ")");
    }

    /**
     * Schema evolution of a running pipeline: when a source topic's subject has a new version, the
     * pipeline is planned again. A plan that no longer works (a field it uses was dropped) blocks
     * it; unchanged outputs keep the job; otherwise {@code options.schemaEvolution} decides: {@code
     * evolve} upgrades the job from a savepoint, {@code freeze} keeps the old shape, {@code fail}
     * stops it.
     */
    private void followSourceSchemas(StoredPipeline p) throws Exception {
        Map<String, Integer> seen = watched.get(p.name());
        if (seen == null) {
            PipelinePlan current = plans.get(p.name());
            if (current != null) {
                watched.put(p.name(), SchemaWatch.sourceSchemaIds(current, registry));
            }
            return;
        }
        Optional<SchemaWatch.Change> change = SchemaWatch.changed(seen, registry);
        if (change.isEmpty()) {
            return;
        }
        PipelineDefinition definition = PipelineJson.parse(p.definitionJson());
        PipelinePlan before = plans.get(p.name());
        PipelinePlan next;
        try {
            next = planner.plan(definition, env);
            JobLayout.of(next);
        } catch (dev.sluice.sdk.config.ConfigValidationException
                | dev.sluice.controller.validation.PipelineValidationException e) {
            String pointer =
                    e instanceof dev.sluice.sdk.config.ConfigValidationException
                            ? ((dev.sluice.sdk.config.ConfigValidationException) e).pointer()
                            : ((dev.sluice.controller.validation.PipelineValidationException) e)
                                    .pointer();
            halt(
                    p,
                    PipelineState.BLOCKED,
                    change.get()
                            + ", which the pipeline cannot take: "
                            + e.getMessage()
                            + " (at "
                            + pointer
                            + "); fix the pipeline and apply it again to resume from its"
                            + " savepoint");
            return;
        }
        if (before != null && SchemaWatch.sameOutputs(before, next)) {
            LOG.info(
                    "pipeline {}: {}; its outputs do not change, the job keeps running",
                    p.name(),
                    change.get());
            watched.put(p.name(), SchemaWatch.sourceSchemaIds(next, registry));
            return;
        }
        switch (definition.options().schemaEvolution()) {
            case FREEZE:
                LOG.info(
                        "pipeline {}: {}; schemaEvolution is 'freeze': it keeps its shape",
                        p.name(),
                        change.get());
                watched.put(p.name(), SchemaWatch.sourceSchemaIds(next, registry));
                return;
            case FAIL:
                halt(
                        p,
                        PipelineState.FAILED,
                        change.get()
                                + " and options.schemaEvolution is 'fail'; apply the pipeline"
                                + " again to take the new schema");
                return;
            default:
                try {
                    checkPublishedSchemas(next);
                } catch (ApiException e) {
                    halt(p, PipelineState.BLOCKED, change.get() + ": " + e.getMessage());
                    return;
                }
                LOG.info(
                        "pipeline {}: {}; upgrading the job from a savepoint",
                        p.name(),
                        change.get());
                String savepoint = stopWithSavepoint(p);
                store.put(
                        p.withJob(null)
                                .withRestorePath(savepoint)
                                .withState(
                                        PipelineState.DEPLOYING,
                                        "upgrading for a source schema change: " + change.get()));
                watched.remove(p.name());
                deploy(p.name());
        }
    }

    /** Stops the pipeline's jobs with a savepoint and leaves it in {@code state}. */
    private void halt(StoredPipeline p, PipelineState state, String reason) throws Exception {
        LOG.warn("pipeline {}: {}", p.name(), reason);
        String savepoint = stopWithSavepoint(p);
        store.put(p.withJob(null).withRestorePath(savepoint).withState(state, mask(reason, p)));
        watched.remove(p.name());
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

    /**
     * Stops each of the pipeline's jobs with a savepoint; returns the restore points to store (a
     * job that is not running is cancelled and keeps its previous restore point: its retained
     * checkpoint is newer anyway).
     */
    private String stopWithSavepoint(StoredPipeline p) throws Exception {
        Map<String, String> previous = JobIds.parse(p.restorePath());
        Map<String, String> restores = new LinkedHashMap<>();
        for (Map.Entry<String, String> job : JobIds.parse(p.jobId()).entrySet()) {
            String jobId = job.getValue();
            JobState state = submitter.state(jobId);
            if (state.phase() == JobState.Phase.RUNNING) {
                restores.put(
                        job.getKey(),
                        submitter.stopWithSavepoint(
                                jobId, savepointDir(p.name(), job.getKey()).toUri().toString()));
            } else {
                submitter.cancel(jobId);
                if (previous.get(job.getKey()) != null) {
                    restores.put(job.getKey(), previous.get(job.getKey()));
                }
            }
        }
        return JobIds.format(restores);
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

    /** Checkpoints of one job of a pipeline: per-processor jobs each have their own directory. */
    private Path checkpointDir(String name, String jobKey) {
        return jobKey.isEmpty()
                ? checkpointDir(name)
                : checkpointDir(name).resolve("jobs").resolve(jobKey);
    }

    private Path savepointDir(String name, String jobKey) {
        return jobKey.isEmpty()
                ? savepointDir(name)
                : savepointDir(name).resolve("jobs").resolve(jobKey);
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
