package dev.sluice.schemas.registry;

import static dev.sluice.schemas.registry.TestSchemas.ORDER_TEXT;
import static dev.sluice.schemas.registry.TestSchemas.V1;
import static dev.sluice.schemas.registry.TestSchemas.V1_TEXT;
import static dev.sluice.schemas.registry.TestSchemas.V2_ADD_WITHOUT_DEFAULT_TEXT;
import static dev.sluice.schemas.registry.TestSchemas.V2_ADD_WITH_DEFAULT;
import static dev.sluice.schemas.registry.TestSchemas.V2_ADD_WITH_DEFAULT_TEXT;
import static dev.sluice.schemas.registry.TestSchemas.V2_NAME_AS_INT_TEXT;
import static dev.sluice.schemas.registry.TestSchemas.V2_REMOVE_NAME_TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.schemas.AvroSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir Path storage;

    private SchemaRegistryServer server;

    /** Status, content type and parsed body of one answer. */
    private record Answer(int status, String contentType, String text) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        int errorCode() {
            return json().path("error_code").asInt();
        }

        String message() {
            return json().path("message").asText();
        }
    }

    @BeforeEach
    void start() {
        server = startServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SchemaRegistryServer startServer() {
        return SchemaRegistryServer.builder().port(0).storageDir(storage).build().start();
    }

    // ------------------------------------------------------------------ registration and reads

    @Test
    void registerThenReadBackEveryWay() {
        Answer registered = post("/subjects/users-value/versions", schemaBody(V1_TEXT));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(registered.json()).isEqualTo(json("{\"id\":1}"));

        assertThat(get("/subjects").json()).isEqualTo(json("[\"users-value\"]"));
        assertThat(get("/subjects/users-value/versions").json()).isEqualTo(json("[1]"));
        JsonNode expected =
                JSON.createObjectNode()
                        .put("subject", "users-value")
                        .put("version", 1)
                        .put("id", 1)
                        .put("schema", V1.toString());
        assertThat(get("/subjects/users-value/versions/1").json()).isEqualTo(expected);
        assertThat(get("/subjects/users-value/versions/latest").json()).isEqualTo(expected);
        assertThat(post("/subjects/users-value", schemaBody(V1_TEXT)).json()).isEqualTo(expected);
        assertThat(AvroSchemas.parse(get("/subjects/users-value/versions/1/schema").text()))
                .isEqualTo(V1);
        assertThat(AvroSchemas.parse(get("/schemas/ids/1").json().path("schema").asText()))
                .isEqualTo(V1);
        assertThat(get("/schemas/ids/1/versions").json())
                .isEqualTo(json("[{\"subject\":\"users-value\",\"version\":1}]"));
        assertThat(get("/").json()).isEqualTo(json("{}"));
    }

    @Test
    void registeringTheSameSchemaTwiceReturnsTheSameIdWithoutNewVersion() {
        assertThat(post("/subjects/s/versions", schemaBody(V1_TEXT)).json().path("id").asInt())
                .isEqualTo(1);
        // same schema, different JSON layout
        String reformatted = V1.toString(true);
        assertThat(post("/subjects/s/versions", schemaBody(reformatted)).json().path("id").asInt())
                .isEqualTo(1);
        assertThat(get("/subjects/s/versions").json()).isEqualTo(json("[1]"));
        // same schema under another subject reuses the global id
        assertThat(
                        post("/subjects/other/versions", schemaBody(V1_TEXT, "AVRO"))
                                .json()
                                .path("id")
                                .asInt())
                .isEqualTo(1);
        assertThat(post("/subjects/o/versions", schemaBody(ORDER_TEXT)).json().path("id").asInt())
                .isEqualTo(2);
    }

    @Test
    void compatibleEvolutionBecomesVersionTwo() {
        post("/subjects/s/versions", schemaBody(V1_TEXT));
        assertThat(post("/subjects/s/versions", schemaBody(V2_ADD_WITH_DEFAULT_TEXT)).json())
                .isEqualTo(json("{\"id\":2}"));
        assertThat(get("/subjects/s/versions").json()).isEqualTo(json("[1,2]"));
        assertThat(get("/subjects/s/versions/latest").json().path("version").asInt()).isEqualTo(2);
        assertThat(
                        AvroSchemas.parse(
                                get("/subjects/s/versions/latest").json().path("schema").asText()))
                .isEqualTo(V2_ADD_WITH_DEFAULT);
    }

    @Test
    void addingRequiredFieldUnderBackwardIsRejectedWith409NamingTheField() {
        post("/subjects/s/versions", schemaBody(V1_TEXT));
        Answer answer = post("/subjects/s/versions", schemaBody(V2_ADD_WITHOUT_DEFAULT_TEXT));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.errorCode()).isEqualTo(409);
        assertThat(answer.message())
                .startsWith(
                        "Schema being registered is incompatible with an earlier schema for"
                                + " subject \"s\", details: [{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'")
                .contains("The field 'email' at path '/fields/2' in the new schema has no default")
                .contains("{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD'}");
        assertThat(get("/subjects/s/versions").json()).isEqualTo(json("[1]"));
    }

    @Test
    void removingFieldUnderForwardIsRejectedNamingTheField() {
        put("/config/s", "{\"compatibility\":\"FORWARD\"}");
        post("/subjects/s/versions", schemaBody(V1_TEXT));
        Answer answer = post("/subjects/s/versions", schemaBody(V2_REMOVE_NAME_TEXT));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.message())
                .contains(
                        "The field 'name' at path '/fields/1' in the old schema has no default"
                                + " value and is missing in the new schema")
                .contains("{compatibility: 'FORWARD'}");
    }

    @Test
    void typeChangeIsRejectedNamingTheField() {
        post("/subjects/s/versions", schemaBody(V1_TEXT));
        Answer answer = post("/subjects/s/versions", schemaBody(V2_NAME_AS_INT_TEXT));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.message())
                .contains(
                        "The type of field 'name' (path '/fields/1/type') in the new schema does"
                                + " not match the old schema (reader type: INT not compatible with"
                                + " writer type: STRING)");
    }

    @Test
    void compatibilityEndpointReportsWithoutRegistering() {
        post("/subjects/s/versions", schemaBody(V1_TEXT));
        Answer incompatible =
                post(
                        "/compatibility/subjects/s/versions/latest?verbose=true",
                        schemaBody(V2_ADD_WITHOUT_DEFAULT_TEXT));
        assertThat(incompatible.status()).isEqualTo(200);
        assertThat(incompatible.json().path("is_compatible").asBoolean()).isFalse();
        assertThat(incompatible.json().path("messages").get(0).asText())
                .contains("The field 'email'");
        assertThat(
                        post(
                                        "/compatibility/subjects/s/versions/latest",
                                        schemaBody(V2_ADD_WITHOUT_DEFAULT_TEXT))
                                .json())
                .isEqualTo(json("{\"is_compatible\":false}"));
        assertThat(
                        post(
                                        "/compatibility/subjects/s/versions/1?verbose=true",
                                        schemaBody(V2_ADD_WITH_DEFAULT_TEXT))
                                .json())
                .isEqualTo(json("{\"is_compatible\":true,\"messages\":[]}"));
        assertThat(
                        post(
                                        "/compatibility/subjects/new-subject/versions/latest",
                                        schemaBody(V2_NAME_AS_INT_TEXT))
                                .json())
                .isEqualTo(json("{\"is_compatible\":true}"));
        Answer unknownVersion = post("/compatibility/subjects/s/versions/7", schemaBody(V1_TEXT));
        assertThat(unknownVersion.status()).isEqualTo(404);
        assertThat(unknownVersion.errorCode()).isEqualTo(40402);
        assertThat(get("/subjects/s/versions").json()).isEqualTo(json("[1]"));
    }

    // ------------------------------------------------------------------ config

    @Test
    void globalAndSubjectConfig() {
        assertThat(get("/config").json()).isEqualTo(json("{\"compatibilityLevel\":\"BACKWARD\"}"));
        assertThat(put("/config", "{\"compatibility\":\"FULL\"}").json())
                .isEqualTo(json("{\"compatibility\":\"FULL\"}"));
        assertThat(get("/config").json()).isEqualTo(json("{\"compatibilityLevel\":\"FULL\"}"));

        Answer none = get("/config/s");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.errorCode()).isEqualTo(40408);
        assertThat(get("/config/s?defaultToGlobal=true").json())
                .isEqualTo(json("{\"compatibilityLevel\":\"FULL\"}"));

        assertThat(put("/config/s", "{\"compatibility\":\"none\"}").json())
                .isEqualTo(json("{\"compatibility\":\"NONE\"}"));
        assertThat(get("/config/s").json()).isEqualTo(json("{\"compatibilityLevel\":\"NONE\"}"));
        // NONE lets an incompatible change through
        post("/subjects/s/versions", schemaBody(V1_TEXT));
        assertThat(post("/subjects/s/versions", schemaBody(V2_NAME_AS_INT_TEXT)).status())
                .isEqualTo(200);

        assertThat(delete("/config/s").json()).isEqualTo(json("{\"compatibilityLevel\":\"NONE\"}"));
        assertThat(get("/config/s").status()).isEqualTo(404);

        Answer invalid = put("/config", "{\"compatibility\":\"SIDEWAYS\"}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errorCode()).isEqualTo(42203);
        assertThat(invalid.message())
                .isEqualTo(
                        "Invalid compatibility level 'SIDEWAYS'. Valid values are: NONE,"
                                + " BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE,"
                                + " FULL, FULL_TRANSITIVE");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void unknownSubjectVersionAndIdAre404WithConfluentCodes() {
        assertError(get("/subjects/nope/versions"), 404, 40401, "Subject 'nope' not found.");
        assertError(get("/subjects/nope/versions/latest"), 404, 40401, "Subject 'nope' not found.");
        post("/subjects/s/versions", schemaBody(V1_TEXT));
        assertError(
                get("/subjects/s/versions/5"), 404, 40402, "Version 5 not found for subject 's'.");
        assertError(get("/schemas/ids/42"), 404, 40403, "Schema 42 not found");
        assertError(
                post("/subjects/s", schemaBody(ORDER_TEXT)),
                404,
                40403,
                "Schema not found under subject 's'.");
        assertError(
                post("/subjects/nope", schemaBody(ORDER_TEXT)),
                404,
                40401,
                "Subject 'nope' not found.");
        Answer badVersion = get("/subjects/s/versions/zero");
        assertThat(badVersion.status()).isEqualTo(422);
        assertThat(badVersion.errorCode()).isEqualTo(42202);
    }

    @Test
    void invalidSchemaIs422() {
        Answer answer = post("/subjects/s/versions", schemaBody("{\"type\":\"recrd\"}"));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo(42201);
        assertThat(answer.message()).startsWith("invalid Avro schema: ");

        Answer missing = post("/subjects/s/versions", "{\"schma\":\"x\"}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.errorCode()).isEqualTo(42201);
        assertThat(missing.message()).contains("needs a field \"schema\"");

        Answer protobuf =
                post(
                        "/subjects/s/versions",
                        "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}");
        assertThat(protobuf.status()).isEqualTo(422);
        assertThat(protobuf.message())
                .isEqualTo("Unsupported schemaType 'PROTOBUF': this registry supports AVRO");
    }

    @Test
    void malformedRequestsGetJsonErrorsNever500() {
        for (Answer answer :
                List.of(
                        post("/subjects/s/versions", "{not json"),
                        post("/subjects/s/versions", ""),
                        post("/subjects/s/versions", "[1,2]"),
                        post("/subjects/s/versions", "\"just a string\""),
                        put("/config", "{"),
                        post("/compatibility/subjects/s/versions/latest", "nope"),
                        get("/schemas/ids/abc"),
                        get("/subjects/s/versions/-5"),
                        get("/no/such/path"),
                        send("PATCH", "/subjects", null))) {
            assertThat(answer.status()).as(answer.text()).isBetween(400, 499);
            assertThat(answer.errorCode()).as(answer.text()).isPositive();
            assertThat(answer.message()).as(answer.text()).isNotEmpty();
        }
        assertError(post("/subjects/s/versions", "{not json"), 400, 400, null);
        assertError(get("/no/such/path"), 404, 404, "HTTP 404 Not Found");
        assertError(send("PATCH", "/subjects", null), 405, 405, "HTTP 405 Method Not Allowed");
    }

    @Test
    void softDeleteRemovesSubjectFromListingsButKeepsIds() {
        post("/subjects/s/versions", schemaBody(V1_TEXT));
        post("/subjects/s/versions", schemaBody(V2_ADD_WITH_DEFAULT_TEXT));
        assertThat(delete("/subjects/s").json()).isEqualTo(json("[1,2]"));
        assertThat(get("/subjects").json()).isEqualTo(json("[]"));
        assertThat(get("/subjects?deleted=true").json()).isEqualTo(json("[\"s\"]"));
        assertThat(get("/subjects/s/versions").status()).isEqualTo(404);
        assertThat(get("/schemas/ids/2").status()).isEqualTo(200);
        assertError(delete("/subjects/s"), 404, 40404, null);
        assertThat(delete("/subjects/s?permanent=true").json()).isEqualTo(json("[1,2]"));
        assertThat(get("/subjects?deleted=true").json()).isEqualTo(json("[]"));
    }

    @Test
    void subjectNamesAreUrlDecoded() {
        assertThat(post("/subjects/my%20topic%2Fvalue/versions", schemaBody(V1_TEXT)).status())
                .isEqualTo(200);
        assertThat(get("/subjects").json()).isEqualTo(json("[\"my topic/value\"]"));
        assertThat(get("/subjects/my%20topic%2Fvalue/versions").json()).isEqualTo(json("[1]"));
    }

    @Test
    void concurrentRegistrationsGetConsistentIds() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(
                        pool.submit(
                                () -> {
                                    HttpSchemaRegistryClient client =
                                            new HttpSchemaRegistryClient(server.url());
                                    Schema own =
                                            AvroSchemas.parse(
                                                    "{\"type\":\"record\",\"name\":\"T"
                                                            + thread
                                                            + "\",\"fields\":[]}");
                                    return new int[] {
                                        client.register("shared", V1),
                                        client.register("own-" + thread, own),
                                        client.register("all-" + thread, V1)
                                    };
                                }));
            }
            Set<Integer> ownIds = new HashSet<>();
            for (Future<int[]> result : results) {
                int[] ids = result.get(30, TimeUnit.SECONDS);
                assertThat(ids[0]).isEqualTo(ids[2]);
                ownIds.add(ids[1]);
            }
            assertThat(ownIds).hasSize(threads).doesNotContain(results.get(0).get()[0]);
            assertThat(get("/subjects/shared/versions").json()).isEqualTo(json("[1]"));
            assertThat(get("/subjects").json()).hasSize(1 + 2 * threads);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Test
    void restartOnTheSameDirectoryKeepsIdsVersionsAndConfig() {
        post("/subjects/users-value/versions", schemaBody(V1_TEXT));
        post("/subjects/users-value/versions", schemaBody(V2_ADD_WITH_DEFAULT_TEXT));
        post("/subjects/orders-value/versions", schemaBody(ORDER_TEXT));
        put("/config", "{\"compatibility\":\"FULL_TRANSITIVE\"}");
        put("/config/orders-value", "{\"compatibility\":\"NONE\"}");
        server.close();

        server = startServer();
        assertThat(get("/subjects").json()).isEqualTo(json("[\"orders-value\",\"users-value\"]"));
        assertThat(get("/subjects/users-value/versions").json()).isEqualTo(json("[1,2]"));
        assertThat(get("/subjects/orders-value/versions/1").json().path("id").asInt()).isEqualTo(3);
        assertThat(AvroSchemas.parse(get("/schemas/ids/2").json().path("schema").asText()))
                .isEqualTo(V2_ADD_WITH_DEFAULT);
        assertThat(get("/config").json())
                .isEqualTo(json("{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}"));
        assertThat(get("/config/orders-value").json())
                .isEqualTo(json("{\"compatibilityLevel\":\"NONE\"}"));
        // the same schema still maps to the same id after the restart
        assertThat(post("/subjects/users-value/versions", schemaBody(V1_TEXT)).json())
                .isEqualTo(json("{\"id\":1}"));
    }

    @Test
    void ephemeralPortAndUrl() {
        assertThat(server.port()).isPositive();
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
    }

    @Test
    void bindingABusyPortFailsClearly() {
        SchemaRegistryServer second = SchemaRegistryServer.builder().port(server.port()).build();
        assertThatThrownBy(second::start)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith(
                        "cannot bind the schema registry to 127.0.0.1:" + server.port());
        second.close();
    }

    @Test
    void builderValidatesSettings() {
        assertThatThrownBy(() -> SchemaRegistryServer.builder().port(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be between 0 (ephemeral) and 65535, got 70000");
        assertThatThrownBy(() -> SchemaRegistryServer.builder().threads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be between 1 and 64, got 0");
        assertThatThrownBy(
                        () ->
                                SchemaRegistryServer.builder()
                                        .storageDir(storage)
                                        .store(SchemaStore.inMemory())
                                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "set either storageDir or store on the schema registry server, not both");
        assertThatThrownBy(() -> SchemaRegistryServer.builder().build().port())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("schema registry server is not started; call start()");
    }

    // ------------------------------------------------------------------ helpers

    private static void assertError(Answer answer, int status, int errorCode, String message) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.errorCode()).as(answer.text()).isEqualTo(errorCode);
        if (message != null) {
            assertThat(answer.message()).isEqualTo(message);
        }
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private static String schemaBody(String schema, String type) {
        return JSON.createObjectNode().put("schema", schema).put("schemaType", type).toString();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer get(String path) {
        return send("GET", path, null);
    }

    private Answer post(String path, String body) {
        return send("POST", path, body);
    }

    private Answer put(String path, String body) {
        return send("PUT", path, body);
    }

    private Answer delete(String path) {
        return send("DELETE", path, null);
    }

    private Answer send(String method, String path, String body) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build();
        try {
            HttpResponse<String> response =
                    HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
