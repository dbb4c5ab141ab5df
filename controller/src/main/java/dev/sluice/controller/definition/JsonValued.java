package dev.sluice.controller.definition;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An enum whose constants are spelled differently in pipeline JSON ({@code "exactly-once"} for
 * {@code EXACTLY_ONCE}); one lookup and one "allowed values" list for all of them.
 */
interface JsonValued {
    /** The spelling in pipeline JSON. */
    String jsonValue();

    /** The constant spelled {@code value} in JSON, if any (exact, case-sensitive). */
    static <E extends Enum<E> & JsonValued> Optional<E> lookup(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> e.jsonValue().equals(value))
                .findFirst();
    }

    /** The allowed spellings, comma separated, in declaration order. */
    static <E extends Enum<E> & JsonValued> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(JsonValued::jsonValue)
                .collect(Collectors.joining(", "));
    }
}
