package dev.sluice.sdk.config;

import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.PublicEvolving;

/**
 * One typed key of a node's {@code config}: its name, type, default and the description shown to
 * users. Factories declare theirs as constants in one {@code *Options} class.
 */
@PublicEvolving
public final class ConfigOption<T> {
    private final String key;
    private final OptionType<T> type;
    private final T defaultValue;
    private final String description;

    private ConfigOption(String key, OptionType<T> type, T defaultValue, String description) {
        this.key = Objects.requireNonNull(key, "key");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.description = description == null ? "" : description;
    }

    /** Starts an option with this key. */
    public static Builder key(String key) {
        return new Builder(key);
    }

    public String key() {
        return key;
    }

    public OptionType<T> type() {
        return type;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String description() {
        return description;
    }

    /** A copy with a description. */
    public ConfigOption<T> withDescription(String text) {
        return new ConfigOption<>(key, type, defaultValue, text);
    }

    /** A copy with a default value. */
    public ConfigOption<T> defaultValue(T value) {
        return new ConfigOption<>(key, type, value, description);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigOption && ((ConfigOption<?>) o).key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return key;
    }

    /** Chooses the type of a new option. */
    public static final class Builder {
        private final String key;

        private Builder(String key) {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("option key must not be empty");
            }
            this.key = key;
        }

        public <T> ConfigOption<T> type(OptionType<T> type) {
            return new ConfigOption<>(key, type, null, null);
        }

        public ConfigOption<String> stringType() {
            return type(OptionType.STRING);
        }

        public ConfigOption<Integer> intType() {
            return type(OptionType.INT);
        }

        public ConfigOption<Long> longType() {
            return type(OptionType.LONG);
        }

        public ConfigOption<Boolean> booleanType() {
            return type(OptionType.BOOLEAN);
        }
    }
}
