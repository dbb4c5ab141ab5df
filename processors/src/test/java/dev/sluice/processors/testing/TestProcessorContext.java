package dev.sluice.processors.testing;

import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.PlatformContext;
import dev.sluice.sdk.factory.ProcessorFactory;
import java.util.List;
import java.util.Map;

/**
 * A processor's planning context as the controller builds it: the node's config validated against
 * its factory's options at {@code <pointer>/config}, and its inputs. Planning a processor needs no
 * platform services, so {@link #platform()} is null.
 */
public final class TestProcessorContext implements ProcessorFactory.Context {
    private final String pipelineName;
    private final String nodeId;
    private final String pointer;
    private final NodeOptions options;
    private final List<StreamDescriptor> inputs;

    private TestProcessorContext(
            String pipelineName,
            String nodeId,
            String pointer,
            NodeOptions options,
            List<StreamDescriptor> inputs) {
        this.pipelineName = pipelineName;
        this.nodeId = nodeId;
        this.pointer = pointer;
        this.options = options;
        this.inputs = inputs;
    }

    /**
     * The context of node {@code nodeId} at {@code pointer} (e.g. {@code /processors/0}) of
     * pipeline {@code pipelineName}.
     */
    public static TestProcessorContext of(
            ProcessorFactory factory,
            String pipelineName,
            String nodeId,
            String pointer,
            Map<String, Object> config,
            StreamDescriptor... inputs) {
        NodeOptions options =
                NodeOptions.validate(
                        factory.identifier(),
                        factory.requiredOptions(),
                        factory.optionalOptions(),
                        config,
                        pointer + "/config");
        return new TestProcessorContext(pipelineName, nodeId, pointer, options, List.of(inputs));
    }

    @Override
    public List<StreamDescriptor> inputs() {
        return inputs;
    }

    @Override
    public String pipelineName() {
        return pipelineName;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String pointer() {
        return pointer;
    }

    @Override
    public NodeOptions options() {
        return options;
    }

    @Override
    public Delivery delivery() {
        return Delivery.EXACTLY_ONCE;
    }

    @Override
    public PlatformContext platform() {
        return null;
    }

    @Override
    public ClassLoader classLoader() {
        return TestProcessorContext.class.getClassLoader();
    }
}
