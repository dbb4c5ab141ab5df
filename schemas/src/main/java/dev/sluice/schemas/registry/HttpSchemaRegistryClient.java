package dev.sluice.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.schemas.AvroSchemas;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API, with the JDK's {@link
 * HttpClient}.
 *
 * <p>Works against Sluice's {@link SchemaRegistryServer} and against Confluent, Apicurio (ccompat)
 * or Karapace: it uses only the common endpoints and media types. Schemas by id and ids by
 * (subject, schema) are cached forever (both are immutable in a registry), so serializers and
 * deserializers calling it per record hit HTTP once per schema. Thread-safe; not serializable.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9,"
                    + " application/json; qs=0.5";

    private final String baseUrl;
    private final Duration requestTimeout;
    private final Map<String, String> headers;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    private final ConcurrentHashMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<Schema, Integer>> idsBySubject =
            new ConcurrentHashMap<>();

    /** A client for the registry at {@code baseUrl} (e.g. {@code http://localhost:8085}). */
    public HttpSchemaRegistryClient(String baseUrl) {
        this(builder(baseUrl));
    }

    private HttpSchemaRegistryClient(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.requestTimeout = builder.requestTimeout;
        this.headers = Map.copyOf(builder.headers);
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(builder.connectTimeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
    }

    /** A builder for timeouts, basic authentication and extra headers. */
    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    /** The registry's base URL, without trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        Map<Schema, Integer> known = idsBySubject.get(subject);
        Integer cached = known == null ? null : known.get(schema);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = json.createObjectNode().put("schema", schema.toString());
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", body);
        int id = requireInt(answer, "id", "POST /subjects/" + subject + "/versions");
        remember(subject, schema, id);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parseSchema(answer, "schema id " + id);
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public Optional<RegisteredSchema> getLatest(String subject) {
        requireSubject(subject);
        JsonNode answer;
        try {
            answer = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
        String what = "latest version of subject '" + subject + "'";
        Schema schema = parseSchema(answer, what);
        int id = requireInt(answer, "id", what);
        RegisteredSchema latest =
                new RegisteredSchema(subject, id, requireInt(answer, "version", what), schema);
        schemasById.putIfAbsent(id, schema);
        remember(subject, schema, id);
        return Optional.of(latest);
    }

    @Override
    public List<String> subjects() {
        JsonNode answer = send("GET", "/subjects", null);
        if (!answer.isArray()) {
            throw unexpected("GET /subjects", "a JSON array", answer);
        }
        List<String> subjects = new ArrayList<>();
        answer.forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        ObjectNode body = json.createObjectNode().put("schema", schema.toString());
        JsonNode answer;
        try {
            answer =
                    send(
                            "POST",
                            "/compatibility/subjects/"
                                    + encode(subject)
                                    + "/versions/latest?verbose=true",
                            body);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                    || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return CompatibilityResult.compatibleResult();
            }
            throw e;
        }
        JsonNode flag = answer.get("is_compatible");
        if (flag == null || !flag.isBoolean()) {
            throw unexpected("compatibility test", "a field \"is_compatible\"", answer);
        }
        List<String> messages = new ArrayList<>();
        answer.path("messages")
                .forEach(node -> messages.add(node.isTextual() ? node.asText() : node.toString()));
        return new CompatibilityResult(flag.asBoolean(), messages);
    }

    @Override
    public Optional<String> getCompatibility(String subject) {
        String path = subject == null ? "/config" : "/config/" + encode(subject);
        JsonNode answer;
        try {
            answer = send("GET", path, null);
        } catch (SchemaRegistryException e) {
            if (subject != null && e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
        JsonNode level = answer.get("compatibilityLevel");
        if (level == null) {
            level = answer.get("compatibility");
        }
        return level == null || level.isNull() ? Optional.empty() : Optional.of(level.asText());
    }

    @Override
    public void setCompatibility(String subject, String level) {
        String name = CompatibilityLevel.parse(level).name();
        String path = subject == null ? "/config" : "/config/" + encode(subject);
        send("PUT", path, json.createObjectNode().put("compatibility", name));
    }

    // ------------------------------------------------------------------ internals

    private void remember(String subject, Schema schema, int id) {
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
        schemasById.putIfAbsent(id, schema);
    }

    private JsonNode send(String method, String pathAndQuery, JsonNode body) {
        URI uri = URI.create(baseUrl + pathAndQuery);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", ACCEPT);
        headers.forEach(request::header);
        if (body != null) {
            byte[] bytes;
            try {
                bytes = json.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialize request body", e);
            }
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.NO_RESPONSE,
                    0,
                    "Schema registry did not answer " + method + " " + uri + ": " + e,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(
                    SchemaRegistryException.NO_RESPONSE,
                    0,
                    "Interrupted while calling the schema registry: " + method + " " + uri,
                    e);
        }
        int status = response.statusCode();
        byte[] bytes = response.body();
        JsonNode answer = parseBody(bytes);
        if (status / 100 == 2) {
            if (answer == null) {
                throw new SchemaRegistryException(
                        status,
                        0,
                        "Schema registry answered "
                                + method
                                + " "
                                + uri
                                + " with a body that is not JSON: "
                                + preview(bytes));
            }
            return answer;
        }
        int errorCode = answer == null ? status : answer.path("error_code").asInt(status);
        String message =
                answer != null && answer.hasNonNull("message")
                        ? answer.get("message").asText()
                        : preview(bytes);
        throw new SchemaRegistryException(
                status,
                errorCode,
                message
                        + " (HTTP "
                        + status
                        + ", error code "
                        + errorCode
                        + ", "
                        + method
                        + " "
                        + uri
                        + ")");
    }

    private JsonNode parseBody(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private static Schema parseSchema(JsonNode answer, String what) {
        JsonNode type = answer.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaRegistryException(
                    200,
                    SchemaRegistryException.INVALID_SCHEMA,
                    "The registry's "
                            + what
                            + " is a "
                            + type.asText()
                            + " schema; Sluice reads Avro schemas only");
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw unexpected(what, "a string field \"schema\"", answer);
        }
        try {
            return AvroSchemas.parse(text.asText());
        } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException(
                    200,
                    SchemaRegistryException.INVALID_SCHEMA,
                    "The registry's " + what + " is not a valid Avro schema: " + e.getMessage(),
                    e);
        }
    }

    private static int requireInt(JsonNode answer, String field, String what) {
        JsonNode node = answer.get(field);
        if (node == null || !node.canConvertToInt()) {
            throw unexpected(what, "an integer field \"" + field + "\"", answer);
        }
        return node.asInt();
    }

    private static SchemaRegistryException unexpected(String what, String expected, JsonNode got) {
        String text = got.toString();
        return new SchemaRegistryException(
                200,
                0,
                "Unexpected schema registry answer for "
                        + what
                        + ": expected "
                        + expected
                        + ", got "
                        + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
    }

    private static String preview(byte[] bytes) {
        String text = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("subject must be a non-empty string");
        }
    }

    /** Builds an {@link HttpSchemaRegistryClient}. */
    public static final class Builder {
        private final String baseUrl;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            String trimmed = baseUrl.trim();
            while (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "schema registry URL '" + baseUrl + "' is not a valid URL", e);
            }
            if (!"http".equalsIgnoreCase(uri.getScheme())
                    && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException(
                        "schema registry URL '"
                                + baseUrl
                                + "' must start with http:// or https://");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "schema registry URL '" + baseUrl + "' has no host");
            }
            this.baseUrl = trimmed;
        }

        /** Time to establish a connection; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Time for a whole request; default 30 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** HTTP basic authentication (Confluent Cloud API key and secret, for instance). */
        public Builder basicAuth(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            String token =
                    Base64.getEncoder()
                            .encodeToString(
                                    (user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return header("Authorization", "Basic " + token);
        }

        /** An extra header sent with every request. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            headers.put(name, value);
            return this;
        }

        public HttpSchemaRegistryClient build() {
            return new HttpSchemaRegistryClient(this);
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}
