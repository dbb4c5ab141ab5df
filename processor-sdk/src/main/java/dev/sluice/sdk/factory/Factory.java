package dev.sluice.sdk.factory;

import dev.sluice.sdk.config.ConfigOption;
import java.util.Set;
import org.apache.flink.annotation.PublicEvolving;

/**
 * What every Sluice node type has in common: the identifier users write as {@code "type"} in the
 * pipeline JSON, and the typed options its {@code config} accepts. Implementations are found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services} entry per SPI), so a jar dropped
 * into the plugins directory adds node types without rebuilding Sluice.
 */
@PublicEvolving
public interface Factory {

    /** The {@code type} users write, e.g. {@code "filter"}. Unique per kind of node. */
    String identifier();

    /** Options that must be present in {@code config}. */
    Set<ConfigOption<?>> requiredOptions();

    /** Options that may be present in {@code config}; any other key is an error. */
    Set<ConfigOption<?>> optionalOptions();

    /**
     * The version of this implementation of the node type; shown by {@code describe} so users can
     * see which implementation a pipeline runs.
     */
    default String implementationVersion() {
        return "1";
    }
}
