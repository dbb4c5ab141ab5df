package dev.sluice.controller.planning;

import dev.sluice.controller.definition.PipelineDefinition;
import dev.sluice.sdk.DeadLetters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated pipeline with every node planned: output schemas derived, config checked. Nothing has
 * been created yet; {@link JobComposer} turns a provisioned plan into a Flink job.
 */
public final class PipelinePlan {
    private final PipelineDefinition definition;
    private final Map<String, PlannedNode> nodes;

    PipelinePlan(PipelineDefinition definition, Map<String, PlannedNode> nodes) {
        this.definition = definition;
        this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    }

    public PipelineDefinition definition() {
        return definition;
    }

    /** Planned nodes in topological order. */
    public Map<String, PlannedNode> nodes() {
        return nodes;
    }

    public PlannedNode node(String id) {
        return nodes.get(id);
    }

    /** The pipeline's dead-letter topic. */
    public String deadLetterTopic() {
        return DeadLetters.topicOf(definition.name());
    }

    /** The topics the pipeline reads. */
    public List<String> inputTopics() {
        Set<String> topics = new LinkedHashSet<>();
        nodes.values().stream()
                .filter(PlannedNode::isSource)
                .forEach(n -> topics.addAll(n.asSource().topics()));
        return new ArrayList<>(topics);
    }

    /** The topics the pipeline writes, dead-letter topic last. */
    public List<String> outputTopics() {
        Set<String> topics = new LinkedHashSet<>();
        nodes.values().stream()
                .filter(PlannedNode::isSink)
                .forEach(n -> topics.addAll(n.asSink().topics()));
        topics.add(deadLetterTopic());
        return new ArrayList<>(topics);
    }
}
