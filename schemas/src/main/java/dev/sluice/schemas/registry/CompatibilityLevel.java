package dev.sluice.schemas.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The compatibility levels of Confluent Schema Registry, with what each one checks.
 *
 * <p>BACKWARD: the new schema can read data written with the previous one (consumers upgrade
 * first). FORWARD: the previous schema can read data written with the new one (producers upgrade
 * first). FULL: both. {@code _TRANSITIVE}: against every live version, not only the latest.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** The level a registry starts with, as in Confluent Schema Registry. */
    public static final CompatibilityLevel DEFAULT = BACKWARD;

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** Whether the new schema must be able to read data written with the previous schema(s). */
    public boolean checksBackward() {
        return backward;
    }

    /** Whether the previous schema(s) must be able to read data written with the new schema. */
    public boolean checksForward() {
        return forward;
    }

    /** Whether the check runs against all live versions instead of only the latest. */
    public boolean isTransitive() {
        return transitive;
    }

    /**
     * Parses a level name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the allowed levels when the name is unknown
     */
    public static CompatibilityLevel parse(String name) {
        if (name != null) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // fall through to the descriptive error
            }
        }
        throw new IllegalArgumentException(
                "unknown compatibility level '" + name + "'; allowed: " + allowedValues());
    }

    static String allowedValues() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
