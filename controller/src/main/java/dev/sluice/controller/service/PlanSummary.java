package dev.sluice.controller.service;

import dev.sluice.controller.planning.JobComposer;
import dev.sluice.controller.planning.JobLayout;
import dev.sluice.controller.planning.PipelinePlan;
import dev.sluice.controller.planning.PlannedNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code describe} shows of a pipeline's plan: its job and operators, the topics it reads and
 * writes, the schema of each node's output, field-level lineage and which implementation each node
 * type resolved to.
 */
public final class PlanSummary {
    public final String jobName;
    public final List<Map<String, Object>> nodes;
    public final List<String> inputTopics;
    public final List<String> outputTopics;
    public final String deadLetterTopic;
    public final List<Job> jobs;

    /** One Flink job of the plan: a fused pipeline has one, a per-processor one several. */
    public static final class Job {
        public final String key;
        public final String name;
        public final Set<String> nodes;
        public final String intermediateTopic;

        Job(String key, String name, Set<String> nodes, String intermediateTopic) {
            this.key = key;
            this.name = name;
            this.nodes = nodes;
            this.intermediateTopic = intermediateTopic;
        }
    }

    private PlanSummary(
            String jobName,
            List<Map<String, Object>> nodes,
            List<String> inputTopics,
            List<String> outputTopics,
            String deadLetterTopic,
            List<Job> jobs) {
        this.jobs = jobs;
        this.jobName = jobName;
        this.nodes = nodes;
        this.inputTopics = inputTopics;
        this.outputTopics = outputTopics;
        this.deadLetterTopic = deadLetterTopic;
    }

    static PlanSummary of(PipelinePlan plan) {
        return of(plan, JobLayout.of(plan));
    }

    static PlanSummary of(PipelinePlan plan, List<JobLayout.Unit> units) {
        List<Job> jobs = new ArrayList<>();
        for (JobLayout.Unit unit : units) {
            jobs.add(
                    new Job(
                            unit.key(),
                            JobComposer.jobName(plan.definition().name(), unit.key()),
                            new java.util.TreeSet<>(unit.owned()),
                            unit.intermediateTopic()));
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (PlannedNode n : plan.nodes().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.definition().id());
            m.put("kind", n.definition().kind().name().toLowerCase(java.util.Locale.ROOT));
            m.put("type", n.definition().type());
            m.put(
                    "implementation",
                    n.factory().getClass().getName() + "@" + n.factory().implementationVersion());
            if (n.output() != null) {
                m.put("outputKind", n.output().kind().name().toLowerCase(java.util.Locale.ROOT));
                m.put("outputSchema", n.output().schema().toString());
            }
            if (n.isProcessor()) {
                Map<String, Set<String>> lineage = n.asProcessor().lineage();
                if (!lineage.isEmpty()) {
                    m.put("lineage", lineage);
                }
            }
            if (n.isSource() && !n.asSource().topics().isEmpty()) {
                m.put("topics", n.asSource().topics());
            }
            if (n.isSink() && !n.asSink().topics().isEmpty()) {
                m.put("topics", n.asSink().topics());
            }
            nodes.add(m);
        }
        return new PlanSummary(
                JobComposer.jobName(plan.definition().name()),
                nodes,
                plan.inputTopics(),
                plan.outputTopics(),
                plan.deadLetterTopic(),
                List.copyOf(jobs));
    }
}
