package dev.sluice.sdk.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.PublicEvolving;

/**
 * How a config value from pipeline JSON (plain Java values: String, Number, Boolean, List, Map)
 * becomes a typed option value, and how the type is described in error messages.
 */
@PublicEvolving
public abstract class OptionType<T> {

    /**
     * Converts a raw JSON value; throws {@link IllegalArgumentException} with what was expected.
     */
    public abstract T convert(Object raw);

    /** The type as users read it in errors, e.g. "a string". */
    public abstract String describe();

    public static final OptionType<String> STRING =
            of(
                    "a string",
                    raw -> {
                        if (raw instanceof String) {
                            return (String) raw;
                        }
                        throw new IllegalArgumentException();
                    });

    public static final OptionType<Integer> INT =
            of(
                    "an integer",
                    raw -> {
                        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
                            long v = ((Number) raw).longValue();
                            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                                return (int) v;
                            }
                        }
                        throw new IllegalArgumentException();
                    });

    public static final OptionType<Long> LONG =
            of(
                    "an integer",
                    raw -> {
                        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
                            return ((Number) raw).longValue();
                        }
                        throw new IllegalArgumentException();
                    });

    public static final OptionType<Boolean> BOOLEAN =
            of(
                    "true or false",
                    raw -> {
                        if (raw instanceof Boolean) {
                            return (Boolean) raw;
                        }
                        throw new IllegalArgumentException();
                    });

    public static final OptionType<Duration> DURATION =
            of(
                    "an ISO-8601 duration such as \"PT30S\"",
                    raw -> {
                        if (raw instanceof String) {
                            try {
                                return Duration.parse((String) raw);
                            } catch (DateTimeParseException e) {
                                // fall through
                            }
                        }
                        throw new IllegalArgumentException();
                    });

    public static final OptionType<List<String>> STRING_LIST =
            of(
                    "an array of strings",
                    raw -> {
                        if (raw instanceof List) {
                            List<String> out = new ArrayList<>();
                            for (Object o : (List<?>) raw) {
                                if (!(o instanceof String)) {
                                    throw new IllegalArgumentException();
                                }
                                out.add((String) o);
                            }
                            return Collections.unmodifiableList(out);
                        }
                        throw new IllegalArgumentException();
                    });

    /** An object whose values are strings; insertion order is kept. */
    public static final OptionType<Map<String, String>> STRING_MAP =
            of(
                    "an object whose values are strings",
                    raw -> {
                        if (raw instanceof Map) {
                            Map<String, String> out = new LinkedHashMap<>();
                            for (Map.Entry<?, ?> e : ((Map<?, ?>) raw).entrySet()) {
                                if (!(e.getValue() instanceof String)) {
                                    throw new IllegalArgumentException();
                                }
                                out.put((String) e.getKey(), (String) e.getValue());
                            }
                            return Collections.unmodifiableMap(out);
                        }
                        throw new IllegalArgumentException();
                    });

    /** A JSON object kept as plain Java values. */
    @SuppressWarnings("unchecked")
    public static final OptionType<Map<String, Object>> OBJECT =
            of(
                    "an object",
                    raw -> {
                        if (raw instanceof Map) {
                            return Collections.unmodifiableMap((Map<String, Object>) raw);
                        }
                        throw new IllegalArgumentException();
                    });

    /** An array of JSON objects kept as plain Java values. */
    @SuppressWarnings("unchecked")
    public static final OptionType<List<Map<String, Object>>> OBJECT_LIST =
            of(
                    "an array of objects",
                    raw -> {
                        if (raw instanceof List) {
                            for (Object o : (List<?>) raw) {
                                if (!(o instanceof Map)) {
                                    throw new IllegalArgumentException();
                                }
                            }
                            return Collections.unmodifiableList((List<Map<String, Object>>) raw);
                        }
                        throw new IllegalArgumentException();
                    });

    /** An enumeration of string values, matched exactly. */
    public static OptionType<String> oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        return of(
                "one of " + String.join(", ", values),
                raw -> {
                    if (raw instanceof String && values.contains(raw)) {
                        return (String) raw;
                    }
                    throw new IllegalArgumentException();
                });
    }

    private static <T> OptionType<T> of(
            String description, java.util.function.Function<Object, T> f) {
        return new OptionType<>() {
            @Override
            public T convert(Object raw) {
                return f.apply(raw);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
