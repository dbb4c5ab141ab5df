package dev.sluice.controller.planning;

import dev.sluice.sdk.factory.FactoryDiscovery;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.SinkFactory;
import dev.sluice.sdk.factory.SourceFactory;

/**
 * Every node type the platform knows, found once at start through {@link java.util.ServiceLoader}
 * on a class loader that also sees the plugin jars.
 */
public final class FactoryRegistry {
    private final ClassLoader classLoader;
    private final FactoryDiscovery<SourceFactory> sources;
    private final FactoryDiscovery<ProcessorFactory> processors;
    private final FactoryDiscovery<SinkFactory> sinks;

    public FactoryRegistry(ClassLoader classLoader) {
        this.classLoader = classLoader;
        this.sources = FactoryDiscovery.load(SourceFactory.class, "source", classLoader);
        this.processors = FactoryDiscovery.load(ProcessorFactory.class, "processor", classLoader);
        this.sinks = FactoryDiscovery.load(SinkFactory.class, "sink", classLoader);
    }

    public ClassLoader classLoader() {
        return classLoader;
    }

    public FactoryDiscovery<SourceFactory> sources() {
        return sources;
    }

    public FactoryDiscovery<ProcessorFactory> processors() {
        return processors;
    }

    public FactoryDiscovery<SinkFactory> sinks() {
        return sinks;
    }
}
