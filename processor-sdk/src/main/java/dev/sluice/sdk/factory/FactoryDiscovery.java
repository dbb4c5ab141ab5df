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
 *
 * <p>A node type is the user's intent; a factory is one implementation of it. Several factories may
 * implement one type (say, a new Iceberg writer next to the old one, or a plugin that upgrades a
 * built-in): the one with the highest {@link Factory#implementationVersion()} wins, so the platform
 * moves a type to a newer implementation without anyone changing pipeline JSON. Two implementations
 * of one type with the same version are an error.
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
            F previous = found.get(factory.identifier());
            if (previous == null) {
                found.put(factory.identifier(), factory);
                continue;
            }
            if (previous.getClass() == factory.getClass()) {
                continue;
            }
            int order =
                    compareVersions(
                            factory.implementationVersion(), previous.implementationVersion());
            if (order > 0) {
                found.put(factory.identifier(), factory);
            } else if (order == 0) {
                clashes.add(
                        factory.identifier()
                                + " ("
                                + previous.getClass().getName()
                                + ", "
                                + factory.getClass().getName()
                                + ", both version "
                                + factory.implementationVersion()
                                + ")");
            }
        }
        if (!clashes.isEmpty()) {
            throw new IllegalStateException(
                    "several " + kind + " factories share an identifier: " + clashes);
        }
        return new FactoryDiscovery<>(kind, Collections.unmodifiableMap(found));
    }

    /**
     * Orders implementation versions: dot-separated numbers compare numerically ("1.10" after
     * "1.9"), anything else as text.
     */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c;
            if (p.matches("\\d{1,9}") && q.matches("\\d{1,9}")) {
                c = Integer.compare(Integer.parseInt(p), Integer.parseInt(q));
            } else {
                c = p.compareTo(q);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
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
