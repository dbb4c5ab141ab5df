package dev.sluice.controller.planning;

import dev.sluice.controller.definition.NodeDefinition;
import dev.sluice.controller.definition.PipelineDefinition;
import dev.sluice.controller.definition.SecretReferences;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.Factory;
import dev.sluice.sdk.factory.FactoryDiscovery;
import dev.sluice.sdk.factory.PlatformContext;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.SinkFactory;
import dev.sluice.sdk.factory.SourceFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Plans a pipeline: finds each node's factory, checks its config against the factory's options, and
 * lets the factory derive its output schema from its inputs' — all before anything is created, so
 * that a bad pipeline is refused with the field at fault and nothing stored.
 */
public final class PipelinePlanner {
    private final FactoryRegistry factories;
    private final PlatformContext platform;

    public PipelinePlanner(FactoryRegistry factories, PlatformContext platform) {
        this.factories = factories;
        this.platform = platform;
    }

    /** The node types this planner plans with (and the plugin jars their jobs ship). */
    /**
     * The current snapshot id of {@code table} in the platform's Iceberg catalog; empty when the
     * platform has no catalog, the table does not exist or has no snapshot yet.
     */
    public java.util.OptionalLong currentSnapshot(String table) {
        Map<String, String> catalogProperties = platform.icebergCatalog();
        if (catalogProperties.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        return dev.sluice.connectors.iceberg.IcebergTables.currentSnapshotId(
                catalogProperties, table);
    }

    public FactoryRegistry factories() {
        return factories;
    }

    /**
     * Plans {@code definition}, resolving secret references with {@code env}.
     *
     * @throws ConfigValidationException naming the field at fault
     */
    public PipelinePlan plan(PipelineDefinition definition, Function<String, String> env) {
        Delivery delivery =
                definition.options().delivery()
                                == dev.sluice.controller.definition.PipelineOptions.Delivery
                                        .EXACTLY_ONCE
                        ? Delivery.EXACTLY_ONCE
                        : Delivery.AT_LEAST_ONCE;
        Map<String, PlannedNode> planned = new LinkedHashMap<>();
        for (NodeDefinition node : definition.topologicalOrder()) {
            PlanningContexts.Node base;
            switch (node.kind()) {
                case SOURCE:
                    {
                        SourceFactory factory = find(factories.sources(), node);
                        base = context(definition, node, factory, delivery, env);
                        SourceFactory.PlannedSource source = factory.plan(base);
                        planned.put(
                                node.id(), new PlannedNode(node, factory, source, source.output()));
                        break;
                    }
                case PROCESSOR:
                    {
                        ProcessorFactory factory = find(factories.processors(), node);
                        base = context(definition, node, factory, delivery, env);
                        List<StreamDescriptor> inputs = inputs(node, planned);
                        ProcessorFactory.PlannedProcessor processor =
                                factory.plan(new PlanningContexts.Processor(base, inputs));
                        StreamDescriptor output =
                                new StreamDescriptor(
                                        node.id(),
                                        processor.outputSchema(),
                                        processor.outputKind());
                        if (processor.keySchema().isPresent()) {
                            output = output.withKeySchema(processor.keySchema().get());
                        }
                        output = carryEventTime(inputs, output);
                        planned.put(node.id(), new PlannedNode(node, factory, processor, output));
                        break;
                    }
                case SINK:
                    {
                        SinkFactory factory = find(factories.sinks(), node);
                        base = context(definition, node, factory, delivery, env);
                        StreamDescriptor input = singleInput(node, inputs(node, planned));
                        SinkFactory.PlannedSink sink =
                                factory.plan(new PlanningContexts.Sink(base, input));
                        planned.put(node.id(), new PlannedNode(node, factory, sink, null));
                        break;
                    }
                default:
                    throw new IllegalStateException("unknown node kind " + node.kind());
            }
        }
        return new PipelinePlan(definition, planned);
    }

    /**
     * A processor's output keeps its inputs' declared event time when they all declare the same one
     * and the output still has that field (filters, projections that keep it, unions), so windows
     * further down can use it.
     */
    private static StreamDescriptor carryEventTime(
            List<StreamDescriptor> inputs, StreamDescriptor output) {
        if (inputs.isEmpty() || inputs.get(0).eventTime().isEmpty()) {
            return output;
        }
        dev.sluice.sdk.EventTime eventTime = inputs.get(0).eventTime().get();
        for (StreamDescriptor input : inputs) {
            if (!input.eventTime().equals(java.util.Optional.of(eventTime))) {
                return output;
            }
        }
        org.apache.avro.Schema.Field field = output.schema().getField(eventTime.field());
        org.apache.avro.Schema.Field original = inputs.get(0).schema().getField(eventTime.field());
        if (field == null
                || original == null
                || !dev.sluice.schemas.AvroSchemas.nonNull(field.schema())
                        .equals(dev.sluice.schemas.AvroSchemas.nonNull(original.schema()))) {
            return output;
        }
        return output.withEventTime(eventTime);
    }

    private PlanningContexts.Node context(
            PipelineDefinition definition,
            NodeDefinition node,
            Factory factory,
            Delivery delivery,
            Function<String, String> env) {
        Map<String, Object> config = SecretReferences.resolve(node.config(), env).asMap();
        NodeOptions options =
                NodeOptions.validate(
                        factory.identifier(),
                        factory.requiredOptions(),
                        factory.optionalOptions(),
                        config,
                        node.pointer() + "/config");
        return new PlanningContexts.Node(
                definition.name(),
                node,
                options,
                delivery,
                platform,
                factories.classLoader(),
                definition.mode() == PipelineDefinition.Mode.BATCH);
    }

    private static <F extends Factory> F find(FactoryDiscovery<F> discovery, NodeDefinition node) {
        F factory = discovery.find(node.type());
        if (factory == null) {
            throw new ConfigValidationException(
                    node.pointer() + "/type", discovery.unknownMessage(node.type()));
        }
        return factory;
    }

    private static List<StreamDescriptor> inputs(
            NodeDefinition node, Map<String, PlannedNode> planned) {
        List<StreamDescriptor> inputs = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            String id = node.inputs().get(i);
            PlannedNode upstream = planned.get(id);
            if (upstream == null || upstream.output() == null) {
                throw new ConfigValidationException(
                        node.pointer() + "/inputs/" + i,
                        "input '" + id + "' names no source or processor");
            }
            if (upstream.isSource()
                    && !"kafka".equals(upstream.definition().type())
                    && upstream.asSource().topics().size() > 1) {
                throw new ConfigValidationException(
                        node.pointer() + "/inputs/" + i,
                        "source '"
                                + id
                                + "' captures "
                                + upstream.asSource().topics().size()
                                + " tables "
                                + upstream.asSource().topics()
                                + "; a processor or sink reads one stream: capture one table per"
                                + " source, or read one of its topics with a 'kafka' source");
            }
            inputs.add(upstream.output());
        }
        return inputs;
    }

    private static StreamDescriptor singleInput(
            NodeDefinition node, List<StreamDescriptor> inputs) {
        StreamDescriptor first = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            StreamDescriptor other = inputs.get(i);
            if (!other.schema().equals(first.schema()) || other.kind() != first.kind()) {
                throw new ConfigValidationException(
                        node.pointer() + "/inputs/" + i,
                        "sink '"
                                + node.id()
                                + "' reads inputs with different schemas ('"
                                + first.nodeId()
                                + "' and '"
                                + other.nodeId()
                                + "'); merge them with a union processor first");
            }
        }
        return first;
    }
}
