package dev.sluice.controller.planning;

import dev.sluice.controller.definition.NodeDefinition;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.NodeContext;
import dev.sluice.sdk.factory.PlatformContext;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.SinkFactory;
import java.util.List;

/** The plan-time contexts the planner hands to factories. */
final class PlanningContexts {

    static class Node implements NodeContext {
        private final String pipeline;
        private final NodeDefinition node;
        private final NodeOptions options;
        private final Delivery delivery;
        private final PlatformContext platform;
        private final ClassLoader classLoader;
        private final boolean bounded;

        Node(
                String pipeline,
                NodeDefinition node,
                NodeOptions options,
                Delivery delivery,
                PlatformContext platform,
                ClassLoader classLoader,
                boolean bounded) {
            this.bounded = bounded;
            this.pipeline = pipeline;
            this.node = node;
            this.options = options;
            this.delivery = delivery;
            this.platform = platform;
            this.classLoader = classLoader;
        }

        @Override
        public String pipelineName() {
            return pipeline;
        }

        @Override
        public String nodeId() {
            return node.id();
        }

        @Override
        public String pointer() {
            return node.pointer();
        }

        @Override
        public NodeOptions options() {
            return options;
        }

        @Override
        public Delivery delivery() {
            return delivery;
        }

        @Override
        public PlatformContext platform() {
            return platform;
        }

        @Override
        public ClassLoader classLoader() {
            return classLoader;
        }

        @Override
        public boolean bounded() {
            return bounded;
        }
    }

    static final class Processor extends Node implements ProcessorFactory.Context {
        private final List<StreamDescriptor> inputs;

        Processor(Node base, List<StreamDescriptor> inputs) {
            super(
                    base.pipeline,
                    base.node,
                    base.options,
                    base.delivery,
                    base.platform,
                    base.classLoader,
                    base.bounded);
            this.inputs = List.copyOf(inputs);
        }

        @Override
        public List<StreamDescriptor> inputs() {
            return inputs;
        }
    }

    static final class Sink extends Node implements SinkFactory.Context {
        private final StreamDescriptor input;

        Sink(Node base, StreamDescriptor input) {
            super(
                    base.pipeline,
                    base.node,
                    base.options,
                    base.delivery,
                    base.platform,
                    base.classLoader,
                    base.bounded);
            this.input = input;
        }

        @Override
        public StreamDescriptor input() {
            return input;
        }
    }

    private PlanningContexts() {}
}
