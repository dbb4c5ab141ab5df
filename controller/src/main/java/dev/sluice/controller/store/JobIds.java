package dev.sluice.controller.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text form of a pipeline's jobs (or of their restore points) in the store: a fused pipeline
 * has one job, stored as its plain id (key {@link #FUSED}); a pipeline run with {@code isolation:
 * per-processor} has one job per unit, stored as {@code key=value} lines. Keeping the fused form
 * plain means stores written before isolation existed read unchanged.
 */
public final class JobIds {

    /** The key of the single job of a fused pipeline. */
    public static final String FUSED = "";

    private JobIds() {}

    /** The entries of {@code text}, in stored order; empty for {@code null}. */
    public static Map<String, String> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        if (!text.contains("\n")) {
            return Map.of(FUSED, text);
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                entries.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return Collections.unmodifiableMap(entries);
    }

    /** The text of {@code entries}; {@code null} when there are none. */
    public static String format(Map<String, String> entries) {
        if (entries.isEmpty()) {
            return null;
        }
        if (entries.size() == 1 && entries.containsKey(FUSED)) {
            return entries.get(FUSED);
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().contains("=") || e.getKey().contains("\n")) {
                throw new IllegalArgumentException("bad job key '" + e.getKey() + "'");
            }
            text.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        // Keyed text always ends with a line break, so even one keyed entry never reads as fused.
        return text.toString();
    }
}
