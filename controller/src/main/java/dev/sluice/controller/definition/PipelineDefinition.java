package dev.sluice.controller.definition;

import dev.sluice.controller.validation.PipelineGraphValidator;
import dev.sluice.controller.validation.PipelineValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A pipeline as the user declared it: the immutable, validated model every later stage (schema
 * derivation, planning, deployment, the store) works from instead of JSON.
 *
 * <p>An instance is always structurally valid: the {@link Builder} checks names, ids, options and
 * the graph (via {@link PipelineGraphValidator}), so holders never re-check. What it does not know
 * is whether each node's {@link NodeConfig} suits its factory; that is the factories' job. Read it
 * from JSON with {@link PipelineJson#parse(String)}.
 */
public final class PipelineDefinition {
    /**
     * How the pipeline runs: {@code streaming} (one unbounded Flink job, the default) or {@code
     * batch} (a bounded job per run, optionally scheduled, triggered and retried).
     */
    public enum Mode implements JsonValued {
        /** An unbounded job that runs until paused or deleted (the default). */
        STREAMING("streaming"),
        /** A bounded job per run; allows schedule, trigger and retry. */
        BATCH("batch");

        private final String jsonValue;

        Mode(String jsonValue) {
            this.jsonValue = jsonValue;
        }

        @Override
        public String jsonValue() {
            return jsonValue;
        }
    }

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    static final Pattern NODE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
    static final Pattern NODE_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,127}");

    static final String NAME_RULE =
            "a lowercase letter followed by up to 62 lowercase letters, digits or '-'"
                    + " (pattern [a-z][a-z0-9-]{0,62})";
    static final String ID_RULE =
            "a letter followed by up to 62 letters, digits or '_'"
                    + " (pattern [A-Za-z][A-Za-z0-9_]{0,62}); ids become SQL table names and"
                    + " operator uids, so '-' is not allowed";
    static final String TYPE_RULE =
            "a factory identifier such as kafka, filter or postgres-cdc"
                    + " (pattern [A-Za-z][A-Za-z0-9._-]{0,127})";

    private final String name;
    private final String owner;
    private final String description;
    private final Mode mode;
    private final List<NodeDefinition> sources;
    private final List<NodeDefinition> processors;
    private final List<NodeDefinition> sinks;
    private final PipelineOptions options;
    private final Schedule schedule;
    private final Trigger trigger;
    private final RetryPolicy retry;
    private final List<NodeDefinition> nodes;
    private final Map<String, NodeDefinition> byId;
    private final List<NodeDefinition> topologicalOrder;

    private PipelineDefinition(Builder b, List<NodeDefinition> nodes, List<NodeDefinition> topo) {
        this.name = b.name;
        this.owner = b.owner;
        this.description = b.description;
        this.mode = b.mode;
        this.sources = List.copyOf(b.sources);
        this.processors = List.copyOf(b.processors);
        this.sinks = List.copyOf(b.sinks);
        this.options = b.options;
        this.schedule = b.schedule;
        this.trigger = b.trigger;
        this.retry = b.retry;
        this.nodes = List.copyOf(nodes);
        Map<String, NodeDefinition> ids = new LinkedHashMap<>();
        nodes.forEach(n -> ids.put(n.id(), n));
        this.byId = Collections.unmodifiableMap(ids);
        this.topologicalOrder = topo;
    }

    /** A builder for a new definition. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this definition's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b =
                builder()
                        .name(name)
                        .owner(owner)
                        .description(description)
                        .mode(mode)
                        .options(options)
                        .schedule(schedule)
                        .trigger(trigger)
                        .retry(retry);
        nodes.forEach(b::addNode);
        return b;
    }

    /** The pipeline name, {@code [a-z][a-z0-9-]{0,62}}: its identity in the API and in topics. */
    public String name() {
        return name;
    }

    /** The team that owns the pipeline, if given. */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /** A sentence for people, if given. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** Streaming (default) or batch. */
    public Mode mode() {
        return mode;
    }

    /** The sources in declaration order; never empty. */
    public List<NodeDefinition> sources() {
        return sources;
    }

    /** The processors in declaration order; may be empty. */
    public List<NodeDefinition> processors() {
        return processors;
    }

    /** The sinks in declaration order; never empty. */
    public List<NodeDefinition> sinks() {
        return sinks;
    }

    /** The options, defaults filled in. */
    public PipelineOptions options() {
        return options;
    }

    /** When a batch pipeline runs by itself; only for batch pipelines. */
    public Optional<Schedule> schedule() {
        return Optional.ofNullable(schedule);
    }

    /** What event starts a run of a batch pipeline; only for batch pipelines. */
    public Optional<Trigger> trigger() {
        return Optional.ofNullable(trigger);
    }

    /** How failed batch runs are retried; only for batch pipelines. */
    public Optional<RetryPolicy> retry() {
        return Optional.ofNullable(retry);
    }

    /** All nodes in declaration order: sources, then processors, then sinks. */
    public List<NodeDefinition> nodes() {
        return nodes;
    }

    /** All node ids in declaration order. */
    public List<String> nodeIds() {
        return List.copyOf(byId.keySet());
    }

    /** The node with {@code id}, if there is one. */
    public Optional<NodeDefinition> node(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * The JSON pointer of the node with {@code nodeId}, e.g. {@code /processors/1}.
     *
     * @throws IllegalArgumentException if no node has that id
     */
    public String pointerOf(String nodeId) {
        NodeDefinition node = byId.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException(
                    "no node '" + nodeId + "' in pipeline '" + name + "'; known: " + byId.keySet());
        }
        return node.pointer();
    }

    /**
     * The nodes ordered so that each comes after all of its inputs: sources first, ties broken by
     * declaration order. Planning walks this order.
     */
    public List<NodeDefinition> topologicalOrder() {
        return topologicalOrder;
    }

    /** The processors and sinks that list {@code id} as an input, in declaration order. */
    public List<NodeDefinition> readersOf(String id) {
        return nodes.stream()
                .filter(n -> n.inputs().contains(id))
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * The sources no processor or sink reads. They are allowed (a CDC source's topic is still
     * published to the catalog), but worth a warning.
     */
    public List<NodeDefinition> unreadSources() {
        return sources.stream()
                .filter(s -> readersOf(s.id()).isEmpty())
                .collect(Collectors.toUnmodifiableList());
    }

    /** The same pipeline with each node's config replaced through {@code configs} (by node id). */
    PipelineDefinition withConfigs(Map<String, NodeConfig> configs) {
        Builder b = toBuilder();
        b.sources.replaceAll(n -> n.withConfig(configs.getOrDefault(n.id(), n.config())));
        b.processors.replaceAll(n -> n.withConfig(configs.getOrDefault(n.id(), n.config())));
        b.sinks.replaceAll(n -> n.withConfig(configs.getOrDefault(n.id(), n.config())));
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PipelineDefinition)) {
            return false;
        }
        PipelineDefinition that = (PipelineDefinition) o;
        return name.equals(that.name)
                && Objects.equals(owner, that.owner)
                && Objects.equals(description, that.description)
                && mode == that.mode
                && sources.equals(that.sources)
                && processors.equals(that.processors)
                && sinks.equals(that.sinks)
                && options.equals(that.options)
                && Objects.equals(schedule, that.schedule)
                && Objects.equals(trigger, that.trigger)
                && Objects.equals(retry, that.retry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                name,
                owner,
                description,
                mode,
                sources,
                processors,
                sinks,
                options,
                schedule,
                trigger,
                retry);
    }

    @Override
    public String toString() {
        return "PipelineDefinition{name="
                + name
                + ", mode="
                + mode.jsonValue()
                + ", nodes="
                + nodes
                + ", options="
                + options
                + (schedule == null ? "" : ", schedule=" + schedule)
                + (trigger == null ? "" : ", trigger=" + trigger)
                + (retry == null ? "" : ", retry=" + retry)
                + "}";
    }

    /**
     * Builds a {@link PipelineDefinition}. Setters and {@code add*} methods validate their
     * arguments at once, with the JSON pointer the value would have in pipeline JSON (a node's
     * position is the number of nodes of its kind added before it); {@link #build()} checks what
     * needs the whole pipeline: required parts, batch-only settings and the graph.
     */
    public static final class Builder {
        private String name;
        private String owner;
        private String description;
        private Mode mode = Mode.STREAMING;
        private final List<NodeDefinition> sources = new ArrayList<>();
        private final List<NodeDefinition> processors = new ArrayList<>();
        private final List<NodeDefinition> sinks = new ArrayList<>();
        private final Map<String, String> idPointers = new HashMap<>();
        private PipelineOptions options = PipelineOptions.defaults();
        private Schedule schedule;
        private Trigger trigger;
        private RetryPolicy retry;

        private Builder() {}

        /**
         * @throws PipelineValidationException at {@code /name} unless it matches the name rule
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw PipelineValidationException.at(
                        "/name",
                        Pointers.quote(name) + " is not a valid pipeline name; use " + NAME_RULE);
            }
            this.name = name;
            return this;
        }

        /** The owning team; {@code null} for none. */
        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        /** A description; {@code null} for none. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Adds a source; {@code config} may be {@code null} for an empty one. */
        public Builder addSource(String id, String type, Map<String, ?> config) {
            return addNode(NodeKind.SOURCE, id, type, List.of(), config);
        }

        /** Adds a processor reading {@code inputs}; {@code config} may be {@code null}. */
        public Builder addProcessor(
                String id, String type, List<String> inputs, Map<String, ?> config) {
            return addNode(NodeKind.PROCESSOR, id, type, inputs, config);
        }

        /** Adds a sink reading {@code inputs}; {@code config} may be {@code null}. */
        public Builder addSink(String id, String type, List<String> inputs, Map<String, ?> config) {
            return addNode(NodeKind.SINK, id, type, inputs, config);
        }

        /** Adds a copy of {@code node} at the end of its kind's list. */
        public Builder addNode(NodeDefinition node) {
            return addNode(
                    node.kind(), node.id(), node.type(), node.inputs(), node.config().asMap());
        }

        /**
         * Adds a node at the end of the list of its kind.
         *
         * @throws PipelineValidationException for a bad or duplicate id, a bad type, missing or
         *     unexpected inputs, or config values that are not JSON-like
         */
        public Builder addNode(
                NodeKind kind, String id, String type, List<String> inputs, Map<String, ?> config) {
            Objects.requireNonNull(kind, "kind");
            List<NodeDefinition> list = list(kind);
            String pointer = NodeDefinition.pointerOf(kind, list.size());
            String idPointer = pointer + "/id";
            if (id == null) {
                throw new PipelineValidationException(
                        idPointer,
                        "missing required key 'id' at " + idPointer + "; expected " + ID_RULE);
            }
            if (!NODE_ID.matcher(id).matches()) {
                throw PipelineValidationException.at(
                        idPointer, Pointers.quote(id) + " is not a valid node id; use " + ID_RULE);
            }
            String firstUse = idPointers.get(id);
            if (firstUse != null) {
                throw PipelineValidationException.at(
                        idPointer,
                        "duplicate node id '"
                                + id
                                + "', already used at "
                                + firstUse
                                + "; node ids must be unique across sources, processors and"
                                + " sinks");
            }
            String typePointer = pointer + "/type";
            if (type == null) {
                throw new PipelineValidationException(
                        typePointer,
                        "missing required key 'type' at "
                                + typePointer
                                + "; expected "
                                + TYPE_RULE);
            }
            if (!NODE_TYPE.matcher(type).matches()) {
                throw PipelineValidationException.at(
                        typePointer,
                        Pointers.quote(type) + " is not a valid node type; use " + TYPE_RULE);
            }
            List<String> in = inputs == null ? List.of() : inputs;
            if (!kind.hasInputs() && !in.isEmpty()) {
                throw PipelineValidationException.at(
                        pointer + "/inputs",
                        "sources have no inputs; only processors and sinks do");
            }
            if (kind.hasInputs() && in.isEmpty()) {
                throw PipelineValidationException.at(
                        pointer + "/inputs",
                        "a "
                                + kind.label()
                                + " needs at least one input: the id of a source or processor");
            }
            for (int j = 0; j < in.size(); j++) {
                if (in.get(j) == null) {
                    throw PipelineValidationException.at(
                            pointer + "/inputs/" + j,
                            "expected the id of a source or processor, got null");
                }
            }
            NodeConfig nodeConfig =
                    NodeConfig.of(pointer + "/config", config == null ? Map.of() : config);
            list.add(new NodeDefinition(kind, list.size(), id, type, in, nodeConfig));
            idPointers.put(id, idPointer);
            return this;
        }

        public Builder options(PipelineOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** The schedule of a batch pipeline; {@code null} for none. */
        public Builder schedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** The trigger of a batch pipeline; {@code null} for none. */
        public Builder trigger(Trigger trigger) {
            this.trigger = trigger;
            return this;
        }

        /** The retry policy of a batch pipeline; {@code null} for none. */
        public Builder retry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        private List<NodeDefinition> list(NodeKind kind) {
            switch (kind) {
                case SOURCE:
                    return sources;
                case PROCESSOR:
                    return processors;
                default:
                    return sinks;
            }
        }

        /**
         * @throws PipelineValidationException if the name, every source or every sink is missing, a
         *     batch-only setting is used by a streaming pipeline, or the graph is invalid
         */
        public PipelineDefinition build() {
            if (name == null) {
                throw new PipelineValidationException(
                        "/name",
                        "missing required key 'name' at /name; expected a pipeline name: "
                                + NAME_RULE);
            }
            if (sources.isEmpty()) {
                throw PipelineValidationException.at(
                        "/sources", "a pipeline needs at least one source");
            }
            if (sinks.isEmpty()) {
                throw PipelineValidationException.at(
                        "/sinks", "a pipeline needs at least one sink");
            }
            if (mode != Mode.BATCH) {
                batchOnly("schedule", schedule);
                batchOnly("trigger", trigger);
                batchOnly("retry", retry);
            }
            List<NodeDefinition> nodes = new ArrayList<>(sources);
            nodes.addAll(processors);
            nodes.addAll(sinks);
            List<NodeDefinition> order = PipelineGraphValidator.validate(nodes);
            return new PipelineDefinition(this, nodes, order);
        }

        private static void batchOnly(String key, Object value) {
            if (value != null) {
                throw PipelineValidationException.at(
                        "/" + key,
                        "\""
                                + key
                                + "\" needs \"mode\": \"batch\"; a streaming pipeline runs"
                                + " continuously. Set \"mode\": \"batch\" or remove \""
                                + key
                                + "\"");
            }
        }
    }
}
