package dev.sluice.sdk.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A node's {@code config}, checked against its factory's declared options: every required key
 * present, no key that nothing consumes, every value of its declared type. Typed reads never fail
 * afterwards.
 */
@PublicEvolving
public final class NodeOptions {
    private final String factoryIdentifier;
    private final String pointer;
    private final Map<String, Object> values;

    private NodeOptions(String factoryIdentifier, String pointer, Map<String, Object> values) {
        this.factoryIdentifier = factoryIdentifier;
        this.pointer = pointer;
        this.values = values;
    }

    /**
     * Validates {@code raw} (the node's config object) against the options of a factory.
     *
     * @param pointer the JSON pointer of the config object, e.g. {@code /processors/0/config}
     * @throws ConfigValidationException naming the key, its pointer and what is allowed
     */
    public static NodeOptions validate(
            String factoryIdentifier,
            Set<ConfigOption<?>> required,
            Set<ConfigOption<?>> optional,
            Map<String, Object> raw,
            String pointer) {
        Map<String, ConfigOption<?>> known = new LinkedHashMap<>();
        required.forEach(o -> known.put(o.key(), o));
        optional.forEach(o -> known.put(o.key(), o));
        for (String key : raw.keySet()) {
            if (!known.containsKey(key)) {
                throw new ConfigValidationException(
                        pointer + "/" + escape(key),
                        "unknown key '"
                                + key
                                + "' at "
                                + pointer
                                + "/"
                                + escape(key)
                                + "; allowed keys for '"
                                + factoryIdentifier
                                + "': "
                                + (known.isEmpty()
                                        ? "(none)"
                                        : String.join(", ", new TreeSet<>(known.keySet()))));
            }
        }
        for (ConfigOption<?> option : required) {
            if (!raw.containsKey(option.key()) || raw.get(option.key()) == null) {
                throw new ConfigValidationException(
                        pointer + "/" + escape(option.key()),
                        "missing required key '"
                                + option.key()
                                + "' in "
                                + pointer
                                + " ("
                                + factoryIdentifier
                                + ": "
                                + option.type().describe()
                                + (option.description().isEmpty()
                                        ? ""
                                        : "; " + option.description())
                                + ")");
            }
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            ConfigOption<?> option = known.get(e.getKey());
            if (e.getValue() == null) {
                continue;
            }
            try {
                typed.put(e.getKey(), option.type().convert(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new ConfigValidationException(
                        pointer + "/" + escape(e.getKey()),
                        pointer
                                + "/"
                                + escape(e.getKey())
                                + ": expected "
                                + option.type().describe()
                                + ", got "
                                + render(e.getValue()));
            }
        }
        return new NodeOptions(factoryIdentifier, pointer, Collections.unmodifiableMap(typed));
    }

    /** The value of an option, or its default, or empty. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> getOptional(ConfigOption<T> option) {
        Object v = values.get(option.key());
        return v != null ? Optional.of((T) v) : option.defaultValue();
    }

    /** The value of an option or its default; fails if neither exists. */
    public <T> T get(ConfigOption<T> option) {
        return getOptional(option)
                .orElseThrow(
                        () ->
                                new ConfigValidationException(
                                        pointer(option),
                                        "missing required key '" + option.key() + "'"));
    }

    /** Whether the user set this option. */
    public boolean contains(ConfigOption<?> option) {
        return values.containsKey(option.key());
    }

    /** The JSON pointer of an option in the pipeline document. */
    public String pointer(ConfigOption<?> option) {
        return pointer + "/" + escape(option.key());
    }

    /** The JSON pointer of the whole config object. */
    public String pointer() {
        return pointer;
    }

    /** The identifier of the factory these options belong to. */
    public String factoryIdentifier() {
        return factoryIdentifier;
    }

    /** Escapes a key for use in a JSON pointer (RFC 6901). */
    public static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String render(Object v) {
        return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
    }
}
