package dev.sluice.controller.definition;

import dev.sluice.controller.validation.PipelineValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret references in node configs: {@code ${env:NAME}} stands for the value of environment
 * variable {@code NAME} on the controller, substituted at deploy time.
 *
 * <p>This exists so that secrets never sit in a stored definition, a GET response or a log: the
 * parser refuses literal values under keys that name secrets ({@code password}, {@code secret}, and
 * any key ending in {@code password}, {@code secret} or {@code token}, ignoring case, at the top
 * level of a {@code config}), the deployer calls {@link #resolve} only when it builds the job, and
 * {@link #mask} hides resolved values that might surface in messages. References may appear inside
 * any config string, also as part of one (e.g. in a JDBC URL).
 */
public final class SecretReferences {
    /** What replaces a secret value in {@link #mask}. */
    public static final String MASK = "******";

    private static final String PREFIX = "${env:";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private SecretReferences() {}

    /** Whether {@code key} names a secret, so its value must be a reference. */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith("password") || k.endsWith("secret") || k.endsWith("token");
    }

    /** Whether {@code value} is exactly one reference, e.g. {@code ${env:DB_PASSWORD}}. */
    public static boolean isReference(String value) {
        return REFERENCE.matcher(value).matches();
    }

    /**
     * Checks the parse-time rules: every {@code ${env:} starts a well-formed reference, and every
     * secret-named key holds a reference (or {@code null} or {@code ""}, which hide nothing).
     *
     * @throws PipelineValidationException at the offending value
     */
    public static void validate(NodeConfig config) {
        for (Map.Entry<String, Object> e : config.asMap().entrySet()) {
            String pointer = config.pointer(e.getKey());
            checkWellFormed(e.getValue(), pointer);
            Object value = e.getValue();
            if (isSecretKey(e.getKey())
                    && value != null
                    && !"".equals(value)
                    && !(value instanceof String && isReference((String) value))) {
                throw PipelineValidationException.at(
                        pointer, "secrets must be references like ${env:NAME}, not literal values");
            }
        }
    }

    private static void checkWellFormed(Object value, String pointer) {
        if (value instanceof String) {
            String s = (String) value;
            Matcher m = REFERENCE.matcher(s);
            for (int at = s.indexOf(PREFIX); at >= 0; at = s.indexOf(PREFIX, at + 1)) {
                if (!m.region(at, s.length()).lookingAt()) {
                    int end = s.indexOf('}', at);
                    String fragment =
                            s.substring(at, Math.min(end < 0 ? s.length() : end + 1, at + 70));
                    throw PipelineValidationException.at(
                            pointer,
                            "malformed secret reference '"
                                    + fragment
                                    + "'; write ${env:NAME} where NAME matches"
                                    + " [A-Za-z_][A-Za-z0-9_]*");
                }
            }
        } else if (value instanceof List) {
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                checkWellFormed(list.get(i), Pointers.child(pointer, i));
            }
        } else if (value instanceof Map) {
            ((Map<?, ?>) value)
                    .forEach((k, v) -> checkWellFormed(v, Pointers.child(pointer, (String) k)));
        }
    }

    /**
     * The config with every reference replaced by its variable's value.
     *
     * @param env looks a variable up, {@code null} if unset (e.g. {@code System::getenv})
     * @throws PipelineValidationException at the value whose variable is not set
     */
    public static NodeConfig resolve(NodeConfig config, Function<String, String> env) {
        @SuppressWarnings("unchecked")
        Map<String, Object> resolved =
                (Map<String, Object>) resolveValue(config.asMap(), config.pointer(), env);
        return config.withValues(resolved);
    }

    /** The definition with every node's config {@link #resolve resolved}. */
    public static PipelineDefinition resolve(
            PipelineDefinition definition, Function<String, String> env) {
        Map<String, NodeConfig> configs = new LinkedHashMap<>();
        for (NodeDefinition node : definition.nodes()) {
            configs.put(node.id(), resolve(node.config(), env));
        }
        return definition.withConfigs(configs);
    }

    private static Object resolveValue(Object value, String pointer, Function<String, String> env) {
        if (value instanceof String) {
            Matcher m = REFERENCE.matcher((String) value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String resolved = env.apply(name);
                if (resolved == null) {
                    throw new PipelineValidationException(
                            pointer,
                            "environment variable "
                                    + name
                                    + " referenced at "
                                    + pointer
                                    + " is not set");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(resolved));
            }
            m.appendTail(out);
            return out.toString();
        }
        if (value instanceof List) {
            List<?> list = (List<?>) value;
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(resolveValue(list.get(i), Pointers.child(pointer, i), env));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) value)
                    .forEach(
                            (k, v) ->
                                    copy.put(
                                            (String) k,
                                            resolveValue(
                                                    v, Pointers.child(pointer, (String) k), env)));
            return Collections.unmodifiableMap(copy);
        }
        return value;
    }

    /** The variable names referenced anywhere in the definition, each once, in document order. */
    public static List<String> referencedVariables(PipelineDefinition definition) {
        Set<String> names = new LinkedHashSet<>();
        for (NodeDefinition node : definition.nodes()) {
            collect(node.config().asMap(), names);
        }
        return List.copyOf(names);
    }

    /** The variable names referenced in one config, each once, in order. */
    public static List<String> referencedVariables(NodeConfig config) {
        Set<String> names = new LinkedHashSet<>();
        collect(config.asMap(), names);
        return List.copyOf(names);
    }

    private static void collect(Object value, Set<String> names) {
        if (value instanceof String) {
            Matcher m = REFERENCE.matcher((String) value);
            while (m.find()) {
                names.add(m.group(1));
            }
        } else if (value instanceof List) {
            ((List<?>) value).forEach(v -> collect(v, names));
        } else if (value instanceof Map) {
            ((Map<?, ?>) value).values().forEach(v -> collect(v, names));
        }
    }

    /**
     * The values of the variables the definition references that are set: what {@link #mask} must
     * hide in anything derived from the resolved definition.
     */
    public static List<String> secretValues(
            PipelineDefinition definition, Function<String, String> env) {
        List<String> values = new ArrayList<>();
        for (String name : referencedVariables(definition)) {
            String value = env.apply(name);
            if (value != null && !value.isEmpty()) {
                values.add(value);
            }
        }
        return values;
    }

    /**
     * {@code text} with every occurrence of a secret value replaced by {@value #MASK}; longer
     * values first, so a secret containing another is hidden whole. Empty values are ignored.
     */
    public static String mask(String text, Collection<String> secretValues) {
        if (text == null || secretValues == null || secretValues.isEmpty()) {
            return text;
        }
        List<String> values = new ArrayList<>();
        for (String v : secretValues) {
            if (v != null && !v.isEmpty()) {
                values.add(v);
            }
        }
        values.sort(Comparator.comparingInt(String::length).reversed());
        String masked = text;
        for (String v : values) {
            masked = masked.replace(v, MASK);
        }
        return masked;
    }
}
