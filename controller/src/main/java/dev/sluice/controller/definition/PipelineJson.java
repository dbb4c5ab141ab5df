package dev.sluice.controller.definition;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.controller.validation.PipelineValidationException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes pipeline JSON, the user-facing contract, and nothing else does.
 *
 * <p>{@link #parse(String)} is strict: duplicate keys, unknown keys (outside node {@code config}
 * objects, which their factories check), wrong JSON types, bad enum values and literal secrets are
 * rejected with a {@link PipelineValidationException} pointing at the field; the model's builders
 * then check values, ids and the graph. Within one object, unknown keys are reported before missing
 * ones, and those before bad values. {@link #toJson} writes the canonical form: every option
 * spelled out, keys in the contract's order, so that {@code parse(toJson(d)).equals(d)}.
 */
public final class PipelineJson {
    static final List<String> TOP_LEVEL_KEYS =
            List.of(
                    "name",
                    "owner",
                    "description",
                    "mode",
                    "sources",
                    "processors",
                    "sinks",
                    "options",
                    "schedule",
                    "trigger",
                    "retry");
    static final List<String> SOURCE_KEYS = List.of("id", "type", "config");
    static final List<String> NODE_WITH_INPUTS_KEYS = List.of("id", "type", "inputs", "config");
    static final List<String> OPTIONS_KEYS =
            List.of(
                    "delivery",
                    "parallelism",
                    "checkpointInterval",
                    "isolation",
                    "schemaEvolution");
    static final List<String> SCHEDULE_KEYS = List.of("cron", "timezone");
    static final List<String> TRIGGER_KEYS = List.of("on", "table");
    static final List<String> RETRY_KEYS = List.of("attempts", "backoff");

    private static final JsonMapper MAPPER =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PipelineJson() {}

    /**
     * Parses and validates pipeline JSON.
     *
     * @throws PipelineValidationException for the first problem found, with its JSON pointer
     */
    public static PipelineDefinition parse(String json) {
        if (json == null) {
            throw new PipelineValidationException(
                    "", "expected a JSON object describing a pipeline, got nothing");
        }
        JsonNode root = readTree(json);
        if (root == null || root.isMissingNode()) {
            throw new PipelineValidationException(
                    "", "expected a JSON object describing a pipeline, got nothing");
        }
        if (!root.isObject()) {
            throw new PipelineValidationException(
                    "", "expected a JSON object describing a pipeline, got " + describe(root));
        }
        return parseDefinition(root);
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String original = e.getOriginalMessage();
            if (original != null && original.startsWith("Duplicate field '")) {
                String pointer = duplicatePointer(e);
                String key = original.substring(17, original.lastIndexOf('\''));
                throw new PipelineValidationException(
                        pointer,
                        "duplicate key '"
                                + key
                                + "' at "
                                + pointer
                                + "; a key may appear only once in an object",
                        e);
            }
            JsonLocation location = e.getLocation();
            String where =
                    location == null
                            ? ""
                            : " at line "
                                    + location.getLineNr()
                                    + ", column "
                                    + location.getColumnNr();
            String what =
                    original != null && original.startsWith("Trailing token")
                            ? "unexpected content after the pipeline object"
                            : clean(original);
            throw new PipelineValidationException("", "malformed JSON" + where + ": " + what, e);
        }
    }

    /** The pointer of the duplicated key, from the parser's context at the point of failure. */
    private static String duplicatePointer(JsonProcessingException e) {
        Object processor = e.getProcessor();
        if (processor instanceof JsonParser) {
            JsonStreamContext context = ((JsonParser) processor).getParsingContext();
            if (context != null) {
                return context.pathAsPointer().toString();
            }
        }
        return "";
    }

    /** Jackson's message without its redacted source description. */
    private static String clean(String message) {
        if (message == null) {
            return "unreadable input";
        }
        return message.replaceAll("\\[Source: [^;\\]]*; ", "[").replace('\n', ' ').trim();
    }

    private static PipelineDefinition parseDefinition(JsonNode root) {
        checkKeys(root, "", TOP_LEVEL_KEYS);
        PipelineDefinition.Builder b = PipelineDefinition.builder();
        JsonNode name = root.get("name");
        if (name == null || name.isNull()) {
            throw new PipelineValidationException(
                    "/name",
                    "missing required key 'name' at /name; expected a pipeline name: "
                            + PipelineDefinition.NAME_RULE);
        }
        b.name(string(name, "/name", "a pipeline name (a string matching [a-z][a-z0-9-]{0,62})"));
        optional(root, "owner")
                .ifPresent(v -> b.owner(string(v, "/owner", "a string naming the owning team")));
        optional(root, "description")
                .ifPresent(v -> b.description(string(v, "/description", "a string")));
        optional(root, "mode")
                .ifPresent(v -> b.mode(enumValue(v, "/mode", PipelineDefinition.Mode.class)));
        parseNodes(root, NodeKind.SOURCE, b);
        parseNodes(root, NodeKind.PROCESSOR, b);
        parseNodes(root, NodeKind.SINK, b);
        optional(root, "options").ifPresent(v -> b.options(parseOptions(v)));
        optional(root, "schedule").ifPresent(v -> b.schedule(parseSchedule(v)));
        optional(root, "trigger").ifPresent(v -> b.trigger(parseTrigger(v)));
        optional(root, "retry").ifPresent(v -> b.retry(parseRetry(v)));
        return b.build();
    }

    private static void parseNodes(JsonNode root, NodeKind kind, PipelineDefinition.Builder b) {
        String pointer = kind.listPointer();
        boolean required = kind != NodeKind.PROCESSOR;
        String expected =
                required
                        ? "a non-empty array of " + kind.label() + " objects"
                        : "an array of " + kind.label() + " objects";
        Optional<JsonNode> list = optional(root, kind.listKey());
        if (list.isEmpty()) {
            if (required) {
                throw new PipelineValidationException(
                        pointer,
                        "missing required key '"
                                + kind.listKey()
                                + "' at "
                                + pointer
                                + "; expected "
                                + expected);
            }
            return;
        }
        JsonNode array = list.get();
        if (!array.isArray() || (required && array.isEmpty())) {
            throw expected(pointer, expected, array);
        }
        for (int i = 0; i < array.size(); i++) {
            parseNode(array.get(i), kind, Pointers.child(pointer, i), b);
        }
    }

    private static void parseNode(
            JsonNode node, NodeKind kind, String pointer, PipelineDefinition.Builder b) {
        if (!node.isObject()) {
            throw expected(pointer, "a " + kind.label() + " object", node);
        }
        if (!kind.hasInputs() && node.has("inputs")) {
            throw new PipelineValidationException(
                    pointer + "/inputs",
                    "unknown key 'inputs' at "
                            + pointer
                            + "/inputs; allowed keys: "
                            + String.join(", ", SOURCE_KEYS)
                            + " (sources read no other node: only processors and sinks have"
                            + " inputs)");
        }
        checkKeys(node, pointer, kind.hasInputs() ? NODE_WITH_INPUTS_KEYS : SOURCE_KEYS);
        String id =
                string(
                        required(node, "id", pointer, "a node id: " + PipelineDefinition.ID_RULE),
                        pointer + "/id",
                        "a node id (a string matching [A-Za-z][A-Za-z0-9_]{0,62})");
        String type =
                string(
                        required(
                                node,
                                "type",
                                pointer,
                                "a node type: " + PipelineDefinition.TYPE_RULE),
                        pointer + "/type",
                        "a node type (a string such as kafka or filter)");
        List<String> inputs = List.of();
        if (kind.hasInputs()) {
            String inputsPointer = pointer + "/inputs";
            JsonNode array =
                    required(
                            node,
                            "inputs",
                            pointer,
                            "a non-empty array of the ids this " + kind.label() + " reads");
            if (!array.isArray() || array.isEmpty()) {
                throw expected(inputsPointer, "a non-empty array of node ids", array);
            }
            inputs = new ArrayList<>();
            for (int j = 0; j < array.size(); j++) {
                inputs.add(
                        string(
                                array.get(j),
                                Pointers.child(inputsPointer, j),
                                "the id of a source or processor"));
            }
        }
        String configPointer = pointer + "/config";
        Map<String, Object> config = new LinkedHashMap<>();
        Optional<JsonNode> configNode = optional(node, "config");
        if (configNode.isPresent()) {
            if (!configNode.get().isObject()) {
                throw expected(configPointer, "an object", configNode.get());
            }
            config = toMap(configNode.get());
        }
        SecretReferences.validate(NodeConfig.of(configPointer, config));
        b.addNode(kind, id, type, inputs, config);
    }

    private static PipelineOptions parseOptions(JsonNode node) {
        String pointer = "/options";
        if (!node.isObject()) {
            throw expected(pointer, "an object", node);
        }
        checkKeys(node, pointer, OPTIONS_KEYS);
        PipelineOptions.Builder b = PipelineOptions.builder();
        optional(node, "delivery")
                .ifPresent(
                        v ->
                                b.delivery(
                                        enumValue(
                                                v,
                                                "/options/delivery",
                                                PipelineOptions.Delivery.class)));
        optional(node, "parallelism")
                .ifPresent(
                        v ->
                                b.parallelism(
                                        integer(
                                                v,
                                                "/options/parallelism",
                                                PipelineOptions.PARALLELISM_EXPECTED)));
        optional(node, "checkpointInterval")
                .ifPresent(v -> b.checkpointInterval(duration(v, "/options/checkpointInterval")));
        optional(node, "isolation")
                .ifPresent(
                        v ->
                                b.isolation(
                                        enumValue(
                                                v,
                                                "/options/isolation",
                                                PipelineOptions.Isolation.class)));
        optional(node, "schemaEvolution")
                .ifPresent(
                        v ->
                                b.schemaEvolution(
                                        enumValue(
                                                v,
                                                "/options/schemaEvolution",
                                                PipelineOptions.SchemaEvolution.class)));
        return b.build();
    }

    private static Schedule parseSchedule(JsonNode node) {
        String pointer = "/schedule";
        if (!node.isObject()) {
            throw expected(pointer, "an object such as {\"cron\": \"*/5 * * * *\"}", node);
        }
        checkKeys(node, pointer, SCHEDULE_KEYS);
        String cron =
                string(
                        required(node, "cron", pointer, Schedule.CRON_RULE),
                        "/schedule/cron",
                        Schedule.CRON_RULE);
        String timezone =
                optional(node, "timezone")
                        .map(v -> string(v, "/schedule/timezone", "a time zone id such as UTC"))
                        .orElse(Schedule.DEFAULT_TIMEZONE);
        return Schedule.of(cron, timezone);
    }

    private static Trigger parseTrigger(JsonNode node) {
        String pointer = "/trigger";
        if (!node.isObject()) {
            throw expected(
                    pointer,
                    "an object such as {\"on\": \"iceberg-snapshot\", \"table\": \"db.name\"}",
                    node);
        }
        checkKeys(node, pointer, TRIGGER_KEYS);
        Trigger.Event on =
                enumValue(
                        required(
                                node,
                                "on",
                                pointer,
                                "one of " + JsonValued.allowed(Trigger.Event.class)),
                        "/trigger/on",
                        Trigger.Event.class);
        String table =
                string(
                        required(node, "table", pointer, "an Iceberg table name such as db.name"),
                        "/trigger/table",
                        "an Iceberg table name such as db.name");
        return Trigger.of(on, table);
    }

    private static RetryPolicy parseRetry(JsonNode node) {
        String pointer = "/retry";
        if (!node.isObject()) {
            throw expected(
                    pointer, "an object such as {\"attempts\": 3, \"backoff\": \"PT30S\"}", node);
        }
        checkKeys(node, pointer, RETRY_KEYS);
        int attempts =
                integer(
                        required(
                                node,
                                "attempts",
                                pointer,
                                "the number of tries per run, from 1 to "
                                        + RetryPolicy.MAX_ATTEMPTS),
                        "/retry/attempts",
                        RetryPolicy.ATTEMPTS_EXPECTED);
        Duration backoff =
                optional(node, "backoff")
                        .map(v -> duration(v, "/retry/backoff"))
                        .orElse(RetryPolicy.DEFAULT_BACKOFF);
        return RetryPolicy.of(attempts, backoff);
    }

    // ---------------------------------------------------------------- reading helpers

    private static void checkKeys(JsonNode object, String pointer, List<String> allowed) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!allowed.contains(key)) {
                String keyPointer = Pointers.child(pointer, key);
                throw new PipelineValidationException(
                        keyPointer,
                        "unknown key '"
                                + key
                                + "' at "
                                + keyPointer
                                + "; allowed keys: "
                                + String.join(", ", allowed));
            }
        }
    }

    /** The value of an optional key; absent and JSON {@code null} are the same. */
    private static Optional<JsonNode> optional(JsonNode object, String key) {
        JsonNode value = object.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    private static JsonNode required(JsonNode object, String key, String pointer, String expected) {
        JsonNode value = object.get(key);
        if (value == null || value.isNull()) {
            String keyPointer = Pointers.child(pointer, key);
            throw new PipelineValidationException(
                    keyPointer,
                    "missing required key '"
                            + key
                            + "' at "
                            + keyPointer
                            + "; expected "
                            + expected);
        }
        return value;
    }

    private static String string(JsonNode value, String pointer, String expected) {
        if (!value.isTextual()) {
            throw expected(pointer, expected, value);
        }
        return value.textValue();
    }

    private static int integer(JsonNode value, String pointer, String expected) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw PipelineValidationException.at(pointer, expected + ", got " + describe(value));
        }
        return value.intValue();
    }

    private static Duration duration(JsonNode value, String pointer) {
        if (value.isTextual()) {
            try {
                return Duration.parse(value.textValue());
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw PipelineValidationException.at(
                pointer, PipelineOptions.DURATION_EXPECTED + ", got " + describe(value));
    }

    private static <E extends Enum<E> & JsonValued> E enumValue(
            JsonNode value, String pointer, Class<E> type) {
        Optional<E> constant =
                value.isTextual() ? JsonValued.lookup(type, value.textValue()) : Optional.empty();
        return constant.orElseThrow(
                () ->
                        PipelineValidationException.at(
                                pointer,
                                "expected one of "
                                        + JsonValued.allowed(type)
                                        + ", got "
                                        + describe(value)));
    }

    private static PipelineValidationException expected(
            String pointer, String expected, JsonNode actual) {
        return PipelineValidationException.at(
                pointer, "expected " + expected + ", got " + describe(actual));
    }

    /** A JSON value as a message shows it: scalars as JSON, containers by kind. */
    static String describe(JsonNode value) {
        if (value.isObject()) {
            return value.isEmpty() ? "{}" : "an object";
        }
        if (value.isArray()) {
            return value.isEmpty() ? "[]" : "an array";
        }
        if (value.isTextual()) {
            return Pointers.quote(value.textValue());
        }
        return value.toString();
    }

    private static Map<String, Object> toMap(JsonNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue())));
        return map;
    }

    private static Object toJava(JsonNode value) {
        if (value.isObject()) {
            return toMap(value);
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            value.forEach(v -> list.add(toJava(v)));
            return list;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return null;
    }

    // ---------------------------------------------------------------- writing

    /** The canonical JSON text of {@code definition} (compact). */
    public static String toJson(PipelineDefinition definition) {
        try {
            return MAPPER.writeValueAsString(toJsonNode(definition));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write pipeline JSON", e);
        }
    }

    /** The canonical JSON text of {@code definition}, indented for people. */
    public static String toPrettyJson(PipelineDefinition definition) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(toJsonNode(definition));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write pipeline JSON", e);
        }
    }

    /**
     * The canonical JSON tree of {@code definition}: the contract's shape, keys in its order,
     * {@code owner}/{@code description}/{@code schedule}/{@code trigger}/{@code retry} only when
     * set, {@code processors} and every option always.
     */
    public static ObjectNode toJsonNode(PipelineDefinition definition) {
        ObjectNode root = NODES.objectNode();
        root.put("name", definition.name());
        definition.owner().ifPresent(o -> root.put("owner", o));
        definition.description().ifPresent(d -> root.put("description", d));
        root.put("mode", definition.mode().jsonValue());
        root.set("sources", nodes(definition.sources()));
        root.set("processors", nodes(definition.processors()));
        root.set("sinks", nodes(definition.sinks()));
        PipelineOptions o = definition.options();
        ObjectNode options = root.putObject("options");
        options.put("delivery", o.delivery().jsonValue());
        options.put("parallelism", o.parallelism());
        options.put("checkpointInterval", o.checkpointInterval().toString());
        options.put("isolation", o.isolation().jsonValue());
        options.put("schemaEvolution", o.schemaEvolution().jsonValue());
        definition
                .schedule()
                .ifPresent(
                        s ->
                                root.putObject("schedule")
                                        .put("cron", s.cron())
                                        .put("timezone", s.timezone()));
        definition
                .trigger()
                .ifPresent(
                        t ->
                                root.putObject("trigger")
                                        .put("on", t.on().jsonValue())
                                        .put("table", t.table()));
        definition
                .retry()
                .ifPresent(
                        r ->
                                root.putObject("retry")
                                        .put("attempts", r.attempts())
                                        .put("backoff", r.backoff().toString()));
        return root;
    }

    private static ArrayNode nodes(List<NodeDefinition> nodes) {
        ArrayNode array = NODES.arrayNode();
        for (NodeDefinition node : nodes) {
            ObjectNode json = array.addObject();
            json.put("id", node.id());
            json.put("type", node.type());
            if (node.kind().hasInputs()) {
                ArrayNode inputs = json.putArray("inputs");
                node.inputs().forEach(inputs::add);
            }
            json.set("config", toJsonValue(node.config().asMap()));
        }
        return array;
    }

    private static JsonNode toJsonValue(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String) {
            return NODES.textNode((String) value);
        }
        if (value instanceof Boolean) {
            return NODES.booleanNode((Boolean) value);
        }
        if (value instanceof Integer) {
            return NODES.numberNode((Integer) value);
        }
        if (value instanceof Long) {
            return NODES.numberNode((Long) value);
        }
        if (value instanceof BigInteger) {
            return NODES.numberNode((BigInteger) value);
        }
        if (value instanceof Double) {
            return NODES.numberNode((Double) value);
        }
        if (value instanceof List) {
            ArrayNode array = NODES.arrayNode();
            ((List<?>) value).forEach(v -> array.add(toJsonValue(v)));
            return array;
        }
        if (value instanceof Map) {
            ObjectNode object = NODES.objectNode();
            ((Map<?, ?>) value).forEach((k, v) -> object.set((String) k, toJsonValue(v)));
            return object;
        }
        throw new IllegalStateException("unexpected config value " + value.getClass());
    }
}
