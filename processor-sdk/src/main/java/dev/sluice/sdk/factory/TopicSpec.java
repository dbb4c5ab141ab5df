package dev.sluice.sdk.factory;

import java.util.Map;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/** A Kafka topic a node needs, with the explicit settings Sluice creates it with. */
@PublicEvolving
public final class TopicSpec {
    private final String name;
    private final int partitions;
    private final Map<String, String> configs;

    public TopicSpec(String name, int partitions, Map<String, String> configs) {
        this.name = Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        this.partitions = partitions;
        this.configs = Map.copyOf(configs);
    }

    public String name() {
        return name;
    }

    public int partitions() {
        return partitions;
    }

    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public String toString() {
        return name + "(" + partitions + " partitions, " + configs + ")";
    }
}
