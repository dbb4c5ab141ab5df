package dev.sluice.sdk.factory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Finds node factories through {@link ServiceLoader}. An unknown identifier fails with the list of
 * identifiers that exist, so a typo in {@code "type"} is easy to fix.
 */
@PublicEvolving
public final class FactoryDiscovery<F extends Factory> {
    private final String kind;
    private final Map<String, F> byIdentifier;

    private FactoryDiscovery(String kind, Map<String, F> byIdentifier) {
        this.kind = kind;
        this.byIdentifier = byIdentifier;
    }

    /** Loads every factory of {@code type} visible to {@code classLoader}. */
    public static <F extends Factory> FactoryDiscovery<F> load(
            Class<F> type, String kind, ClassLoader classLoader) {
        Map<String, F> found = new TreeMap<>();
        List<String> clashes = new ArrayList<>();
        for (F factory : ServiceLoader.load(type, classLoader)) {
            F previous = found.putIfAbsent(factory.identifier(), factory);
            if (previous != null && previous.getClass() != factory.getClass()) {
                clashes.add(
                        factory.identifier()
                                + " ("
                                + previous.getClass().getName()
                                + ", "
                                + factory.getClass().getName()
                                + ")");
            }
        }
        if (!clashes.isEmpty()) {
            throw new IllegalStateException(
                    "several " + kind + " factories share an identifier: " + clashes);
        }
        return new FactoryDiscovery<>(kind, Collections.unmodifiableMap(found));
    }

    /** The factory for {@code identifier}, or {@code null}. */
    public F find(String identifier) {
        return byIdentifier.get(identifier);
    }

    /** All identifiers, sorted. */
    public List<String> identifiers() {
        return List.copyOf(byIdentifier.keySet());
    }

    /** What to tell a user who wrote an unknown {@code type}. */
    public String unknownMessage(String identifier) {
        return "unknown "
                + kind
                + " type '"
                + identifier
                + "'; known "
                + kind
                + " types: "
                + String.join(", ", byIdentifier.keySet());
    }
}
