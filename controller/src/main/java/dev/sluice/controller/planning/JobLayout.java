package dev.sluice.controller.planning;

import dev.sluice.controller.definition.NodeDefinition;
import dev.sluice.controller.definition.NodeKind;
import dev.sluice.controller.definition.PipelineDefinition;
import dev.sluice.controller.definition.PipelineOptions;
import dev.sluice.controller.store.JobIds;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a pipeline is laid out in Flink jobs. {@code fused} (the default) is one job for the whole
 * pipeline. {@code per-processor} is the layout of Netflix's Data Mesh, kept for isolation and for
 * comparison: one job per processor, joined by Kafka topics {@code sluice.<pipeline>.<node>}.
 *
 * <p>Each unit of the per-processor layout is itself an ordinary pipeline definition with the
 * pipeline's name and options, so it is planned, provisioned and composed exactly like a fused
 * pipeline:
 *
 * <ul>
 *   <li>a processor's unit reads each input through a {@code kafka} source with the input's id: the
 *       input's own definition when it is a {@code kafka} source, the topic a capture source writes
 *       otherwise, or the intermediate topic of an upstream processor. Keeping the ids keeps every
 *       processor's config valid (join sides, SQL table names) and its operator uids stable;
 *   <li>its output goes to its intermediate topic when another processor (or a sink reading more
 *       than this processor) reads it, and straight to every sink that reads only this processor;
 *   <li>a source that is not a {@code kafka} source (a capture) gets a unit of its own that writes
 *       its topics; a sink reading sources or several nodes gets a unit of its own.
 * </ul>
 *
 * Units are listed so that a unit comes after the units whose topics it reads; planning them in
 * that order finds each intermediate topic's schema registered by its writer.
 */
public final class JobLayout {

    /** One Flink job of a pipeline: its key in the store and the definition it runs. */
    public static final class Unit {
        private final String key;
        private final PipelineDefinition definition;
        private final Set<String> owned;
        private final String intermediateTopic;

        Unit(
                String key,
                PipelineDefinition definition,
                Set<String> owned,
                String intermediateTopic) {
            this.key = key;
            this.definition = definition;
            this.owned = Set.copyOf(owned);
            this.intermediateTopic = intermediateTopic;
        }

        /**
         * The nodes this job runs for the pipeline (not the {@code kafka} sources it reads its
         * inputs with): whose metrics it reports.
         */
        public Set<String> owned() {
            return owned;
        }

        /** The topic this job publishes its processor's output to, or {@code null}. */
        public String intermediateTopic() {
            return intermediateTopic;
        }

        /** {@link JobIds#FUSED} for a fused pipeline's job, else the unit's key. */
        public String key() {
            return key;
        }

        public PipelineDefinition definition() {
            return definition;
        }
    }

    private JobLayout() {}

    /** The topic that carries {@code node}'s output between per-processor jobs. */
    public static String intermediateTopic(String pipeline, String node) {
        return "sluice." + pipeline + "." + node;
    }

    /** The jobs of {@code plan}, in the order they must be planned and provisioned. */
    public static List<Unit> of(PipelinePlan plan) {
        PipelineDefinition definition = plan.definition();
        if (definition.options().isolation() != PipelineOptions.Isolation.PER_PROCESSOR) {
            return List.of(
                    new Unit(JobIds.FUSED, definition, Set.copyOf(definition.nodeIds()), null));
        }
        List<Unit> units = new ArrayList<>();
        Set<String> placedSinks = new HashSet<>();
        for (NodeDefinition node : definition.topologicalOrder()) {
            if (node.kind() == NodeKind.SOURCE && !isKafka(node)) {
                units.add(
                        new Unit(
                                "source-" + node.id(),
                                base(definition).addNode(node).build(),
                                Set.of(node.id()),
                                null));
            } else if (node.kind() == NodeKind.PROCESSOR) {
                PipelineDefinition.Builder b = base(definition);
                for (String input : node.inputs()) {
                    addInput(b, plan, input);
                }
                b.addNode(node);
                Set<String> owned = new HashSet<>();
                owned.add(node.id());
                boolean needsTopic = false;
                for (NodeDefinition reader : definition.readersOf(node.id())) {
                    if (reader.kind() == NodeKind.SINK
                            && reader.inputs().equals(List.of(node.id()))) {
                        b.addNode(reader);
                        placedSinks.add(reader.id());
                        owned.add(reader.id());
                    } else {
                        needsTopic = true;
                    }
                }
                String topic = null;
                if (needsTopic) {
                    String sinkId = outputSinkId(definition, node.id());
                    topic = intermediateTopic(definition.name(), node.id());
                    b.addSink(sinkId, "kafka", List.of(node.id()), Map.of("topic", topic));
                    owned.add(sinkId);
                }
                units.add(new Unit(node.id(), b.build(), owned, topic));
            }
        }
        for (NodeDefinition sink : definition.sinks()) {
            if (placedSinks.contains(sink.id())) {
                continue;
            }
            PipelineDefinition.Builder b = base(definition);
            for (String input : sink.inputs()) {
                addInput(b, plan, input);
            }
            units.add(
                    new Unit(
                            "sink-" + sink.id(), b.addNode(sink).build(), Set.of(sink.id()), null));
        }
        return units;
    }

    private static PipelineDefinition.Builder base(PipelineDefinition definition) {
        return PipelineDefinition.builder()
                .name(definition.name())
                .owner(definition.owner().orElse(null))
                .description(definition.description().orElse(null))
                .mode(definition.mode())
                .options(definition.options());
    }

    /** Adds a {@code kafka} source with id {@code input} that reads what {@code input} wrote. */
    private static void addInput(PipelineDefinition.Builder b, PipelinePlan plan, String input) {
        PlannedNode upstream = plan.node(input);
        NodeDefinition def = upstream.definition();
        if (def.kind() == NodeKind.SOURCE) {
            if (isKafka(def)) {
                b.addNode(def);
                return;
            }
            List<String> topics = upstream.asSource().topics();
            if (topics.size() != 1) {
                throw new ConfigValidationException(
                        def.pointer(),
                        "isolation 'per-processor' reads source '"
                                + def.id()
                                + "' through its topic, but it writes "
                                + topics.size()
                                + " topics "
                                + topics
                                + "; capture one table per source, or use isolation 'fused'");
            }
            b.addSource(input, "kafka", Map.of("topic", topics.get(0)));
            return;
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("topic", intermediateTopic(plan.definition().name(), input));
        config.put("upsert", upstream.output().kind() == StreamKind.CHANGELOG);
        b.addSource(input, "kafka", config);
    }

    private static String outputSinkId(PipelineDefinition definition, String node) {
        String base = (node.length() > 59 ? node.substring(0, 59) : node) + "_out";
        String id = base;
        for (int i = 2; definition.node(id).isPresent(); i++) {
            id = base.substring(0, Math.min(base.length(), 60)) + i;
        }
        return id;
    }

    private static boolean isKafka(NodeDefinition node) {
        return "kafka".equals(node.type());
    }
}
