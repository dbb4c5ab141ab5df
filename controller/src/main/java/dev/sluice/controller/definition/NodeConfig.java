package dev.sluice.controller.definition;

import dev.sluice.controller.validation.PipelineValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A node's {@code config} object as plain, immutable Java values, together with the JSON pointer of
 * that object.
 *
 * <p>The definition layer does not know which keys a node type accepts: its factory checks them
 * later. This class exists so that the factory gets the values without any JSON library types and
 * can still report errors at the exact place in the user's document ({@link #pointer(String)} gives
 * e.g. {@code /processors/1/config/condition}).
 *
 * <p>Values are {@code String}, {@code Boolean}, {@code Integer} (integers that fit), {@code Long},
 * {@code BigInteger} (larger integers), {@code Double}, {@code null}, {@code List} of values and
 * {@code Map<String, Object>} of values, with JSON object order kept; all collections are
 * unmodifiable. Equality compares the values only, not the pointer.
 */
public final class NodeConfig {
    private final String pointer;
    private final Map<String, Object> values;

    private NodeConfig(String pointer, Map<String, Object> values) {
        this.pointer = pointer;
        this.values = values;
    }

    /**
     * Copies {@code values} deeply into an immutable config.
     *
     * @param pointer the JSON pointer of the config object, e.g. {@code /sources/0/config}
     * @param values the config entries; numbers are normalized (see the class comment)
     * @throws PipelineValidationException if a value is not a JSON-like value
     */
    public static NodeConfig of(String pointer, Map<String, ?> values) {
        if (pointer == null) {
            throw new IllegalArgumentException("pointer must not be null");
        }
        if (values == null) {
            throw new IllegalArgumentException("values must not be null (use an empty map)");
        }
        return new NodeConfig(pointer, copyMap(values, pointer));
    }

    /** An empty config at {@code pointer}: what a node without a {@code config} key gets. */
    public static NodeConfig empty(String pointer) {
        return of(pointer, Map.of());
    }

    /** The entries in JSON order; unmodifiable. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** The value of {@code key}; empty if the key is absent or its value is JSON {@code null}. */
    public Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Whether {@code key} is present (even with a {@code null} value). */
    public boolean containsKey(String key) {
        return values.containsKey(key);
    }

    /** The keys in JSON order; unmodifiable. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** Whether the config has no entries. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The JSON pointer of the config object itself, e.g. {@code /processors/1/config}. */
    public String pointer() {
        return pointer;
    }

    /**
     * The JSON pointer of {@code key} in this config, e.g. {@code /processors/1/config/condition}.
     */
    public String pointer(String key) {
        return Pointers.child(pointer, key);
    }

    /** The same values at another place in the document (a node's position decides it). */
    NodeConfig withPointer(String newPointer) {
        return newPointer.equals(pointer) ? this : new NodeConfig(newPointer, values);
    }

    /** The same place with other values (already normalized). */
    NodeConfig withValues(Map<String, Object> newValues) {
        return new NodeConfig(pointer, newValues);
    }

    private static Map<String, Object> copyMap(Map<?, ?> source, String pointer) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : source.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw PipelineValidationException.at(
                        pointer, "config keys must be strings, got " + e.getKey());
            }
            String key = (String) e.getKey();
            copy.put(key, copyValue(e.getValue(), Pointers.child(pointer, key)));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(Object value, String pointer) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Long) {
            long l = (Long) value;
            return l == (int) l ? (Object) (int) l : (Object) l;
        }
        if (value instanceof BigInteger) {
            BigInteger b = (BigInteger) value;
            return b.bitLength() < 64 ? copyValue(b.longValue(), pointer) : b;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw PipelineValidationException.at(
                        pointer, "expected a finite number, got " + value);
            }
            return d;
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                copy.add(copyValue(list.get(i), Pointers.child(pointer, i)));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Map) {
            return copyMap((Map<?, ?>) value, pointer);
        }
        throw PipelineValidationException.at(
                pointer,
                "unsupported config value of type "
                        + value.getClass().getName()
                        + "; allowed: string, number, boolean, null, list, object");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeConfig && values.equals(((NodeConfig) o).values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
