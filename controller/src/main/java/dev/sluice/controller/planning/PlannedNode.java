package dev.sluice.controller.planning;

import dev.sluice.controller.definition.NodeDefinition;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.factory.Factory;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.SinkFactory;
import dev.sluice.sdk.factory.SourceFactory;

/** One node of a plan: its definition, the factory that planned it, and the planned object. */
public final class PlannedNode {
    private final NodeDefinition definition;
    private final Factory factory;
    private final Object planned;
    private final StreamDescriptor output;

    PlannedNode(
            NodeDefinition definition, Factory factory, Object planned, StreamDescriptor output) {
        this.definition = definition;
        this.factory = factory;
        this.planned = planned;
        this.output = output;
    }

    public NodeDefinition definition() {
        return definition;
    }

    public Factory factory() {
        return factory;
    }

    /** The stream the node produces; {@code null} for sinks. */
    public StreamDescriptor output() {
        return output;
    }

    public SourceFactory.PlannedSource asSource() {
        return (SourceFactory.PlannedSource) planned;
    }

    public ProcessorFactory.PlannedProcessor asProcessor() {
        return (ProcessorFactory.PlannedProcessor) planned;
    }

    public SinkFactory.PlannedSink asSink() {
        return (SinkFactory.PlannedSink) planned;
    }

    public boolean isSource() {
        return planned instanceof SourceFactory.PlannedSource;
    }

    public boolean isProcessor() {
        return planned instanceof ProcessorFactory.PlannedProcessor;
    }

    public boolean isSink() {
        return planned instanceof SinkFactory.PlannedSink;
    }
}
