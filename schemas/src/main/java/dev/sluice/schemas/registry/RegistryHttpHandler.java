package dev.sluice.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.sluice.schemas.AvroSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the Confluent Schema Registry REST API onto a {@link SchemaStore}.
 *
 * <p>Routing, request parsing and the mapping of errors to HTTP answers happen here and only here:
 * the store throws {@link SchemaRegistryException}s carrying status and error code, and {@link
 * #handle} turns every failure into a JSON error body ({@code {"error_code": ..., "message":
 * ...}}), so bad input never yields a 500.
 */
final class RegistryHttpHandler implements HttpHandler {

    /** The media type Confluent's registry answers with. */
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

    private final SchemaStore store;
    private final ObjectMapper json = new ObjectMapper();

    RegistryHttpHandler(SchemaStore store) {
        this.store = store;
    }

    /** A parsed request: method, decoded path segments, query parameters and the raw body. */
    private static final class Request {
        final String method;
        final List<String> path;
        final Map<String, String> query;
        final HttpExchange exchange;

        Request(HttpExchange exchange) {
            this.exchange = exchange;
            this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            this.path = segments(exchange.getRequestURI().getRawPath());
            this.query = query(exchange.getRequestURI().getRawQuery());
        }

        boolean flag(String name) {
            return Boolean.parseBoolean(query.getOrDefault(name, "false"));
        }
    }

    /** A response ready to send. */
    private static final class Response {
        final int status;
        final byte[] body;

        Response(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Response response;
        try {
            response = route(new Request(exchange));
        } catch (SchemaRegistryException e) {
            response = error(e.status(), e.errorCode(), e.getMessage());
        } catch (JsonProcessingException e) {
            response =
                    error(
                            400,
                            400,
                            "Malformed JSON in the request body: "
                                    + e.getOriginalMessage()
                                    + " (line "
                                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                                    + ", column "
                                    + (e.getLocation() == null
                                            ? "?"
                                            : e.getLocation().getColumnNr())
                                    + ")");
        } catch (IllegalArgumentException e) {
            response = error(400, 400, e.getMessage());
        } catch (RuntimeException | IOException e) {
            LOG.error(
                    "Schema registry failed on {} {}",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI(),
                    e);
            response =
                    error(500, SchemaRegistryException.STORE_ERROR, "Internal server error: " + e);
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
                exchange.sendResponseHeaders(response.status, -1);
            } else {
                exchange.sendResponseHeaders(response.status, response.body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body);
                }
            }
        } finally {
            exchange.close();
        }
    }

    // ------------------------------------------------------------------ routing

    private Response route(Request r) throws IOException {
        List<String> p = r.path;
        if (p.contains("")) {
            throw notFound();
        }
        if (p.isEmpty()) {
            allow(r, "GET");
            return ok(json.createObjectNode());
        }
        switch (p.get(0)) {
            case "subjects":
                return subjects(r, p);
            case "schemas":
                return schemas(r, p);
            case "config":
                return config(r, p);
            case "compatibility":
                return compatibility(r, p);
            case "mode":
                if (p.size() <= 2) {
                    allow(r, "GET");
                    return ok(json.createObjectNode().put("mode", "READWRITE"));
                }
                throw notFound();
            default:
                throw notFound();
        }
    }

    private Response subjects(Request r, List<String> p) throws IOException {
        if (p.size() == 1) {
            allow(r, "GET");
            return ok(stringArray(store.subjects(r.flag("deleted"))));
        }
        String subject = p.get(1);
        if (p.size() == 2) {
            switch (r.method) {
                case "POST":
                    RegisteredSchema found = store.lookup(subject, schemaFrom(readObject(r)));
                    return ok(registered(found));
                case "DELETE":
                    return ok(intArray(store.deleteSubject(subject, r.flag("permanent"))));
                default:
                    throw methodNotAllowed();
            }
        }
        if (!p.get(2).equals("versions")) {
            throw notFound();
        }
        if (p.size() == 3) {
            switch (r.method) {
                case "GET":
                    return ok(intArray(store.versions(subject)));
                case "POST":
                    RegisteredSchema registered =
                            store.register(subject, schemaFrom(readObject(r)));
                    return ok(json.createObjectNode().put("id", registered.id()));
                default:
                    throw methodNotAllowed();
            }
        }
        Integer version = version(p.get(3));
        if (p.size() == 4) {
            switch (r.method) {
                case "GET":
                    return ok(registered(resolve(subject, version)));
                case "DELETE":
                    if (version == null) {
                        version = store.latest(subject).version();
                    }
                    return ok(
                            json.getNodeFactory()
                                    .numberNode(
                                            store.deleteVersion(
                                                    subject, version, r.flag("permanent"))));
                default:
                    throw methodNotAllowed();
            }
        }
        if (p.size() == 5 && p.get(4).equals("schema")) {
            allow(r, "GET");
            return raw(resolve(subject, version).schema().toString());
        }
        if (p.size() == 5 && p.get(4).equals("referencedby")) {
            allow(r, "GET");
            resolve(subject, version);
            return ok(json.createArrayNode());
        }
        throw notFound();
    }

    private Response schemas(Request r, List<String> p) {
        if (p.size() == 2 && p.get(1).equals("types")) {
            allow(r, "GET");
            return ok(stringArray(List.of("AVRO")));
        }
        if (p.size() < 3 || !p.get(1).equals("ids")) {
            throw notFound();
        }
        allow(r, "GET");
        int id = schemaId(p.get(2));
        if (p.size() == 3) {
            return ok(json.createObjectNode().put("schema", store.schemaById(id).toString()));
        }
        if (p.size() == 4) {
            switch (p.get(3)) {
                case "schema":
                    return raw(store.schemaById(id).toString());
                case "versions":
                    ArrayNode versions = json.createArrayNode();
                    for (RegisteredSchema usage : store.usagesOf(id)) {
                        versions.addObject()
                                .put("subject", usage.subject())
                                .put("version", usage.version());
                    }
                    return ok(versions);
                case "subjects":
                    List<String> subjects = new ArrayList<>();
                    for (RegisteredSchema usage : store.usagesOf(id)) {
                        if (!subjects.contains(usage.subject())) {
                            subjects.add(usage.subject());
                        }
                    }
                    return ok(stringArray(subjects));
                default:
                    throw notFound();
            }
        }
        throw notFound();
    }

    private Response config(Request r, List<String> p) throws IOException {
        if (p.size() == 1) {
            switch (r.method) {
                case "GET":
                    return ok(level("compatibilityLevel", store.globalCompatibility()));
                case "PUT":
                    CompatibilityLevel level = levelFrom(readObject(r));
                    store.setGlobalCompatibility(level);
                    return ok(level("compatibility", level));
                default:
                    throw methodNotAllowed();
            }
        }
        if (p.size() != 2) {
            throw notFound();
        }
        String subject = p.get(1);
        switch (r.method) {
            case "GET":
                if (r.flag("defaultToGlobal")) {
                    return ok(level("compatibilityLevel", store.effectiveCompatibility(subject)));
                }
                return ok(
                        level(
                                "compatibilityLevel",
                                store.subjectCompatibility(subject)
                                        .orElseThrow(
                                                () ->
                                                        SchemaStore
                                                                .subjectCompatibilityNotConfigured(
                                                                        subject))));
            case "PUT":
                CompatibilityLevel level = levelFrom(readObject(r));
                store.setSubjectCompatibility(subject, level);
                return ok(level("compatibility", level));
            case "DELETE":
                return ok(level("compatibilityLevel", store.deleteSubjectCompatibility(subject)));
            default:
                throw methodNotAllowed();
        }
    }

    private Response compatibility(Request r, List<String> p) throws IOException {
        if (p.size() < 4
                || p.size() > 5
                || !p.get(1).equals("subjects")
                || !p.get(3).equals("versions")) {
            throw notFound();
        }
        allow(r, "POST");
        String subject = p.get(2);
        Integer version = p.size() == 5 ? version(p.get(4)) : null;
        Schema schema = schemaFrom(readObject(r));
        CompatibilityResult result = store.testCompatibility(subject, version, schema);
        ObjectNode body = json.createObjectNode().put("is_compatible", result.compatible());
        if (r.flag("verbose")) {
            body.set("messages", stringArray(result.messages()));
        }
        return ok(body);
    }

    // ------------------------------------------------------------------ request parsing

    private JsonNode readObject(Request r) throws IOException {
        byte[] body;
        try (InputStream in = r.exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new SchemaRegistryException(
                    413, 413, "The request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (body.length == 0) {
            throw SchemaRegistryException.badRequest(
                    "The request body is empty; expected a JSON object");
        }
        JsonNode node = json.readTree(body);
        if (node == null || !node.isObject()) {
            throw SchemaRegistryException.badRequest(
                    "The request body must be a JSON object, got: "
                            + (node == null ? "nothing" : node.getNodeType()));
        }
        return node;
    }

    private static Schema schemaFrom(JsonNode body) {
        JsonNode type = body.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw SchemaRegistryException.invalidSchema(
                    "Unsupported schemaType '" + type.asText() + "': this registry supports AVRO");
        }
        JsonNode references = body.get("references");
        if (references != null && references.isArray() && references.size() > 0) {
            throw SchemaRegistryException.invalidSchema(
                    "Schema references are not supported by this registry");
        }
        JsonNode text = body.get("schema");
        if (text == null || !text.isTextual()) {
            throw SchemaRegistryException.invalidSchema(
                    "Invalid schema: the request body needs a field \"schema\" holding the Avro"
                            + " schema as a JSON string");
        }
        try {
            return AvroSchemas.parse(text.asText());
        } catch (IllegalArgumentException e) {
            throw SchemaRegistryException.invalidSchema(e.getMessage());
        }
    }

    private static CompatibilityLevel levelFrom(JsonNode body) {
        JsonNode level = body.get("compatibility");
        if (level == null) {
            level = body.get("compatibilityLevel");
        }
        String name = level == null || level.isNull() ? null : level.asText();
        try {
            return CompatibilityLevel.parse(name);
        } catch (IllegalArgumentException e) {
            throw SchemaRegistryException.invalidCompatibilityLevel(name);
        }
    }

    /** A version path segment: a positive number, or null for "latest" (and -1). */
    private static Integer version(String segment) {
        if (segment.equals("latest") || segment.equals("-1")) {
            return null;
        }
        try {
            int version = Integer.parseInt(segment);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw SchemaRegistryException.invalidVersion(segment);
    }

    private static int schemaId(String segment) {
        try {
            return Integer.parseInt(segment);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(
                    404,
                    SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema " + segment + " not found: a schema id is a positive integer");
        }
    }

    private RegisteredSchema resolve(String subject, Integer version) {
        return version == null ? store.latest(subject) : store.version(subject, version);
    }

    private static List<String> segments(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            return List.of();
        }
        String trimmed = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : trimmed.split("/", -1)) {
            segments.add(decode(segment));
        }
        return segments;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "true" : decode(pair.substring(eq + 1));
            query.put(name, value);
        }
        return query;
    }

    private static String decode(String s) {
        // Path segments use %20 for spaces; '+' stays a plus there (URLDecoder would turn it into
        // a space), so protect it first.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void allow(Request r, String method) {
        if (!r.method.equals(method)) {
            throw methodNotAllowed();
        }
    }

    // ------------------------------------------------------------------ responses

    private Response ok(JsonNode body) {
        try {
            return new Response(200, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
    }

    private static Response raw(String body) {
        return new Response(200, body.getBytes(StandardCharsets.UTF_8));
    }

    private Response error(int status, int errorCode, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("error_code", errorCode);
        body.put("message", message);
        try {
            return new Response(status, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return new Response(status, new byte[0]);
        }
    }

    private ObjectNode registered(RegisteredSchema schema) {
        return json.createObjectNode()
                .put("subject", schema.subject())
                .put("version", schema.version())
                .put("id", schema.id())
                .put("schema", schema.schema().toString());
    }

    private ObjectNode level(String field, CompatibilityLevel level) {
        return json.createObjectNode().put(field, level.name());
    }

    private ArrayNode stringArray(List<String> values) {
        ArrayNode array = json.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private ArrayNode intArray(List<Integer> values) {
        ArrayNode array = json.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static SchemaRegistryException notFound() {
        return new SchemaRegistryException(404, 404, "HTTP 404 Not Found");
    }

    private static SchemaRegistryException methodNotAllowed() {
        return new SchemaRegistryException(405, 405, "HTTP 405 Method Not Allowed");
    }
}
