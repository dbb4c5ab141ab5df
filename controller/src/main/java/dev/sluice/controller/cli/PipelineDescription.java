package dev.sluice.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text of {@code ./sluice describe pipeline NAME}: the status first, then the definition.
 *
 * <p>It exists so that the description stays readable while the controller's body evolves: fields
 * it knows (name, owner, mode, state, reason, Flink jobs, topics, plan, schemas, metrics) come
 * first with labels in a fixed order, every other field follows generically as {@code key: value},
 * and the definition ends the description as pretty JSON that can be saved and applied again.
 * Status fields are read from the top level of the body or from a nested {@code status} object; the
 * definition from a nested {@code definition} (or {@code spec}) object, or else from the pipeline
 * JSON keys at the top level.
 */
final class PipelineDescription {

    /** A status field shown with a label: its label, then the keys that may carry it. */
    private static final String[][] SCALARS = {
        {"Name", "name"},
        {"Owner", "owner"},
        {"Description", "description"},
        {"Mode", "mode"},
        {"State", "state"},
        {"Reason", "reason", "lastError"},
        {"Restarts", "restarts", "restartCount"},
        {"Flink jobs", "jobIds", "flinkJobIds"},
        {"Flink job", "jobId", "flinkJobId"},
    };

    /** Status blocks shown with a label, after the scalars, in this order. */
    private static final String[][] BLOCKS = {
        {"Flink jobs", "jobs", "flinkJobs"},
        {"Topics", "topics"},
        {"Plan", "plan"},
        {"Schemas", "schemas"},
        {"Metrics", "metrics", "metricsSummary"},
    };

    /** The keys of the pipeline JSON, in the order the definition prints them. */
    private static final List<String> DEFINITION_KEYS =
            List.of(
                    "name",
                    "owner",
                    "description",
                    "mode",
                    "schedule",
                    "trigger",
                    "retry",
                    "sources",
                    "processors",
                    "sinks",
                    "options");

    private static final Set<String> NESTED_DEFINITION_KEYS = Set.of("definition", "spec");

    private PipelineDescription() {}

    /** The description of one pipeline body as lines. */
    static List<String> lines(JsonNode body, JsonText json) {
        Map<String, JsonNode> fields = statusFields(body);
        List<String[]> scalars = new ArrayList<>();
        List<String> blocks = new ArrayList<>();

        for (String[] known : SCALARS) {
            String label = known[0];
            for (int k = 1; k < known.length; k++) {
                JsonNode value = fields.remove(known[k]);
                if (value == null || value.isNull() || isEmptyText(value)) {
                    continue;
                }
                if (JsonText.isBlock(value)) {
                    labelledBlock(label, value, blocks);
                } else {
                    scalars.add(new String[] {label, JsonText.scalar(value)});
                }
                break;
            }
        }
        for (String[] known : BLOCKS) {
            String label = known[0];
            for (int k = 1; k < known.length; k++) {
                JsonNode value = fields.remove(known[k]);
                if (value == null || value.isNull()) {
                    continue;
                }
                labelledBlock(label, value, blocks);
                break;
            }
        }

        JsonNode definition = definition(body);
        for (String key : DEFINITION_KEYS) {
            fields.remove(key);
        }
        for (String key : NESTED_DEFINITION_KEYS) {
            if (fields.containsKey(key) && fields.get(key).isObject()) {
                fields.remove(key);
            }
        }
        List<String> generic = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
            if (field.getValue().isNull()) {
                continue;
            }
            if (JsonText.isBlock(field.getValue())) {
                JsonText.entry(field.getKey(), field.getValue(), 0, generic);
            } else {
                scalars.add(new String[] {field.getKey(), JsonText.scalar(field.getValue())});
            }
        }

        int width = 0;
        for (String[] scalar : scalars) {
            width = Math.max(width, scalar[0].length() + 1);
        }
        List<String> lines = new ArrayList<>();
        for (String[] scalar : scalars) {
            String label = scalar[0] + ":";
            lines.add(label + " ".repeat(width - label.length() + 3) + scalar[1]);
        }
        lines.addAll(blocks);
        lines.addAll(generic);
        if (definition.size() > 0) {
            lines.add("Definition:");
            lines.addAll(List.of(json.pretty(definition).split("\n", -1)));
        }
        return lines;
    }

    private static void labelledBlock(String label, JsonNode value, List<String> lines) {
        if (value.isArray() && value.size() > 0 && JsonText.isScalarArray(value)) {
            // One per line reads better than a long comma-separated list (topics, job ids).
            lines.add(label + ":");
            for (JsonNode element : value) {
                lines.add("  " + JsonText.scalar(element));
            }
        } else if (JsonText.isBlock(value)) {
            lines.add(label + ":");
            JsonText.block(value, 1, lines);
        } else {
            lines.add(label + ": " + (value.size() == 0 ? JsonText.NONE : JsonText.scalar(value)));
        }
    }

    /** The body's top-level fields, with the fields of a nested {@code status} object merged in. */
    private static Map<String, JsonNode> statusFields(JsonNode body) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> top = body.fields();
        while (top.hasNext()) {
            Map.Entry<String, JsonNode> field = top.next();
            fields.put(field.getKey(), field.getValue());
        }
        JsonNode status = fields.get("status");
        if (status != null && status.isObject()) {
            fields.remove("status");
            Iterator<Map.Entry<String, JsonNode>> nested = status.fields();
            while (nested.hasNext()) {
                Map.Entry<String, JsonNode> field = nested.next();
                fields.putIfAbsent(field.getKey(), field.getValue());
            }
        }
        return fields;
    }

    /** The pipeline JSON inside the body (see the class comment). */
    private static ObjectNode definition(JsonNode body) {
        for (String key : NESTED_DEFINITION_KEYS) {
            JsonNode nested = body.get(key);
            if (nested != null && nested.isObject()) {
                return (ObjectNode) nested;
            }
        }
        ObjectNode definition = JsonNodeFactory.instance.objectNode();
        for (String key : DEFINITION_KEYS) {
            JsonNode value = body.get(key);
            if (value != null && !value.isNull()) {
                definition.set(key, value);
            }
        }
        // Only name/owner/mode at the top level is a status summary, not a definition.
        boolean hasNodes =
                definition.has("sources")
                        || definition.has("processors")
                        || definition.has("sinks");
        return hasNodes ? definition : JsonNodeFactory.instance.objectNode();
    }

    private static boolean isEmptyText(JsonNode value) {
        return value.isTextual() && value.asText().isBlank();
    }
}
