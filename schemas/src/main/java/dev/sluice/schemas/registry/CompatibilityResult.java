package dev.sluice.schemas.registry;

import java.util.List;
import java.util.Objects;

/**
 * Outcome of a compatibility check: whether the candidate schema may be registered, and if not, why
 * (one message per rule broken, naming the field, as Confluent's verbose answer does).
 *
 * @param compatible whether the schema passes the subject's compatibility level
 * @param messages human-readable reasons; empty when compatible (and for registries that do not
 *     report reasons)
 */
public record CompatibilityResult(boolean compatible, List<String> messages) {

    private static final CompatibilityResult COMPATIBLE = new CompatibilityResult(true, List.of());

    public CompatibilityResult {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    }

    /** A passing result without messages. */
    public static CompatibilityResult compatibleResult() {
        return COMPATIBLE;
    }

    /** A failing result with the reasons. */
    public static CompatibilityResult incompatible(List<String> messages) {
        return new CompatibilityResult(false, messages);
    }
}
