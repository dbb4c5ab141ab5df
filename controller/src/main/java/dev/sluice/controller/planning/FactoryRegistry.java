package dev.sluice.controller.planning;

import dev.sluice.sdk.factory.FactoryDiscovery;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.SinkFactory;
import dev.sluice.sdk.factory.SourceFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * Every node type the platform knows, found once at start through {@link java.util.ServiceLoader}
 * on a class loader that also sees the plugin jars. It keeps the plugin jars themselves too: every
 * job ships them, because a plugin's operator classes must be loadable where the job runs, not only
 * where it was planned.
 */
public final class FactoryRegistry {
    private final ClassLoader classLoader;
    private final List<Path> pluginJars;
    private final FactoryDiscovery<SourceFactory> sources;
    private final FactoryDiscovery<ProcessorFactory> processors;
    private final FactoryDiscovery<SinkFactory> sinks;

    /** Node types on {@code classLoader}, with no plugin jars to ship. */
    public FactoryRegistry(ClassLoader classLoader) {
        this(classLoader, List.of());
    }

    /**
     * Node types on {@code classLoader}, which sees {@code pluginJars} (the jars of the plugins
     * directory) on top of the platform's own classes.
     */
    public FactoryRegistry(ClassLoader classLoader, List<Path> pluginJars) {
        this.classLoader = classLoader;
        this.pluginJars = List.copyOf(pluginJars);
        this.sources = FactoryDiscovery.load(SourceFactory.class, "source", classLoader);
        this.processors = FactoryDiscovery.load(ProcessorFactory.class, "processor", classLoader);
        this.sinks = FactoryDiscovery.load(SinkFactory.class, "sink", classLoader);
    }

    public ClassLoader classLoader() {
        return classLoader;
    }

    /** The plugin jars every job ships, in a stable order; empty without plugins. */
    public List<Path> pluginJars() {
        return pluginJars;
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
