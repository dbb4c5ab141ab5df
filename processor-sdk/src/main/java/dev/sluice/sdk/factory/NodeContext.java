package dev.sluice.sdk.factory;

import dev.sluice.sdk.config.NodeOptions;
import org.apache.flink.annotation.PublicEvolving;

/**
 * What a factory knows about the node it plans: where it is, its validated config, the platform.
 */
@PublicEvolving
public interface NodeContext {

    /** The pipeline's name. */
    String pipelineName();

    /** The node's id, unique in its pipeline. */
    String nodeId();

    /** The JSON pointer of the node in the pipeline document, e.g. {@code /processors/1}. */
    String pointer();

    /** The node's config, validated against the factory's options. */
    NodeOptions options();

    /** The pipeline's delivery guarantee. */
    Delivery delivery();

    /** The platform's services. */
    PlatformContext platform();

    /** The class loader that sees the plugin jars. */
    ClassLoader classLoader();

    /**
     * Whether the pipeline runs in batch mode: sources must then produce bounded streams (a Kafka
     * source reads up to its stopping offsets, a JDBC source its table) and the job ends when they
     * are exhausted.
     */
    default boolean bounded() {
        return false;
    }
}
