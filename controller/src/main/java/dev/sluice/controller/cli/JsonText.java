package dev.sluice.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns JSON from the controller into text for people: scalar cells, YAML-like nested blocks and
 * pretty JSON.
 *
 * <p>It exists because the controller's bodies grow over time (new status fields, metrics, plan
 * details): the CLI renders the fields it knows nicely and everything else generically, so a newer
 * controller never makes an older CLI hide information or fail.
 */
final class JsonText {
    /** What a missing or {@code null} value prints as, as in {@code kubectl}. */
    static final String NONE = "<none>";

    private static final String INDENT = "  ";

    private final ObjectWriter prettyWriter;

    JsonText(ObjectMapper mapper) {
        DefaultIndenter indenter = new DefaultIndenter(INDENT, "\n");
        DefaultPrettyPrinter printer =
                new DefaultPrettyPrinter()
                        .withSeparators(
                                Separators.createDefaultInstance()
                                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                                        .withObjectEmptySeparator("")
                                        .withArrayEmptySeparator(""));
        printer.indentArraysWith(indenter);
        printer.indentObjectsWith(indenter);
        this.prettyWriter = mapper.writer(printer);
    }

    /** {@code node} as indented JSON ({@code "key": value}, two spaces, {@code \n} line ends). */
    String pretty(JsonNode node) {
        try {
            return prettyWriter.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print a JSON tree: " + e.getMessage(), e);
        }
    }

    /** The first of {@code keys} that {@code node} has with a non-null value. */
    static Optional<JsonNode> first(JsonNode node, String... keys) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        for (String key : keys) {
            JsonNode value = node.get(key);
            if (value != null && !value.isNull() && !value.isMissingNode()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The first of {@code keys} as a table cell, or {@link #NONE}. */
    static String cell(JsonNode node, String... keys) {
        return first(node, keys).map(JsonText::scalar).filter(s -> !s.isEmpty()).orElse(NONE);
    }

    /**
     * A value as one line: text without quotes, numbers and booleans as written, an array of
     * scalars joined with {@code ", "}, anything else as compact JSON.
     */
    static String scalar(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NONE;
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray() && isScalarArray(value)) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(scalar(v)));
            return String.join(", ", parts);
        }
        return value.toString();
    }

    /**
     * A time as ISO-8601: text stays as it is; a number is read as epoch milliseconds (the form the
     * store may keep).
     */
    static String time(JsonNode node, String... keys) {
        Optional<JsonNode> value = first(node, keys);
        if (value.isPresent() && value.get().canConvertToLong() && value.get().isIntegralNumber()) {
            return Instant.ofEpochMilli(value.get().asLong()).toString();
        }
        return value.map(JsonText::scalar).filter(s -> !s.isEmpty()).orElse(NONE);
    }

    static boolean isScalarArray(JsonNode array) {
        for (JsonNode element : array) {
            if (element.isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    static boolean isBlock(JsonNode value) {
        return value.isObject() && value.size() > 0
                || value.isArray() && value.size() > 0 && !isScalarArray(value);
    }

    /**
     * {@code value} as YAML-like lines at {@code indent} levels: objects as {@code key: value} or
     * {@code key:} followed by an indented block, arrays of objects as {@code - } items, arrays of
     * scalars on one line.
     */
    static void block(JsonNode value, int indent, List<String> lines) {
        String pad = INDENT.repeat(indent);
        if (value.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                entry(field.getKey(), field.getValue(), indent, lines);
            }
        } else if (value.isArray()) {
            for (JsonNode element : value) {
                if (isBlock(element)) {
                    List<String> item = new ArrayList<>();
                    block(element, indent + 1, item);
                    String firstLine = item.get(0);
                    item.set(0, pad + "- " + firstLine.substring(pad.length() + INDENT.length()));
                    lines.addAll(item);
                } else {
                    lines.add(pad + "- " + scalar(element));
                }
            }
        } else {
            lines.add(pad + scalar(value));
        }
    }

    /** One {@code key: value} line, or {@code key:} and an indented block. */
    static void entry(String key, JsonNode value, int indent, List<String> lines) {
        String pad = INDENT.repeat(indent);
        if (isBlock(value)) {
            lines.add(pad + key + ":");
            block(value, indent + 1, lines);
        } else {
            lines.add(pad + key + ": " + emptyAware(value));
        }
    }

    private static String emptyAware(JsonNode value) {
        if (value.isObject() || value.isArray()) {
            return value.size() == 0 ? NONE : scalar(value);
        }
        return scalar(value);
    }
}
