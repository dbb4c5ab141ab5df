package dev.sluice.schemas.registry;

import static dev.sluice.schemas.registry.TestSchemas.ORDER;
import static dev.sluice.schemas.registry.TestSchemas.V1;
import static dev.sluice.schemas.registry.TestSchemas.V2_ADD_WITHOUT_DEFAULT;
import static dev.sluice.schemas.registry.TestSchemas.V2_ADD_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryClientTest {

    private SchemaRegistryServer server;
    private HttpSchemaRegistryClient client;

    @BeforeEach
    void start() {
        server = SchemaRegistryServer.builder().port(0).build().start();
        client = new HttpSchemaRegistryClient(server.url() + "/");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registerAndResolveRoundTrip() {
        int id = client.register("users-value", V1);
        assertThat(id).isEqualTo(1);
        assertThat(client.register("orders-value", ORDER)).isEqualTo(2);
        assertThat(client.register("users-value", V2_ADD_WITH_DEFAULT)).isEqualTo(3);

        assertThat(client.subjects()).containsExactly("orders-value", "users-value");
        assertThat(client.getLatest("users-value"))
                .contains(new RegisteredSchema("users-value", 3, 2, V2_ADD_WITH_DEFAULT));
        assertThat(client.getLatest("nobody")).isEqualTo(Optional.empty());

        // a second client sees the same ids, fetched over HTTP
        HttpSchemaRegistryClient fresh = new HttpSchemaRegistryClient(server.url());
        assertThat(fresh.getById(1)).isEqualTo(V1);
        assertThat(fresh.getById(2)).isEqualTo(ORDER);
        assertThat(fresh.register("users-value", V1)).isEqualTo(1);
    }

    @Test
    void incompatibleRegistrationThrows409WithTheRegistryMessage() {
        client.register("s", V1);
        assertThatThrownBy(() -> client.register("s", V2_ADD_WITHOUT_DEFAULT))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(409);
                            assertThat(e.errorCode())
                                    .isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
                            assertThat(e.getMessage())
                                    .startsWith(
                                            "Schema being registered is incompatible with an"
                                                    + " earlier schema for subject \"s\"")
                                    .contains("The field 'email'")
                                    .endsWith(
                                            "(HTTP 409, error code 409, POST "
                                                    + server.url()
                                                    + "/subjects/s/versions)");
                        });
    }

    @Test
    void unknownIdThrows404() {
        assertThatThrownBy(() -> client.getById(99))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.isNotFound()).isTrue();
                            assertThat(e.errorCode())
                                    .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                            assertThat(e.getMessage()).startsWith("Schema 99 not found (HTTP 404");
                        });
    }

    @Test
    void cachesAnswerAfterTheServerIsGone() {
        int id = client.register("s", V1);
        HttpSchemaRegistryClient reader = new HttpSchemaRegistryClient(server.url());
        assertThat(reader.getById(id)).isEqualTo(V1);
        server.close();

        assertThat(reader.getById(id)).isEqualTo(V1);
        assertThat(client.getById(id)).isEqualTo(V1);
        assertThat(client.register("s", V1)).isEqualTo(id);
        // anything not cached needs the server
        assertThatThrownBy(() -> reader.getById(id + 1))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
                            assertThat(e.getMessage())
                                    .startsWith(
                                            "Schema registry did not answer GET "
                                                    + server.url()
                                                    + "/schemas/ids/2");
                        });
    }

    @Test
    void compatibilityTestAndConfig() {
        assertThat(client.testCompatibility("s", V1))
                .isEqualTo(CompatibilityResult.compatibleResult());
        client.register("s", V1);
        assertThat(client.testCompatibility("s", V2_ADD_WITH_DEFAULT).compatible()).isTrue();
        CompatibilityResult broken = client.testCompatibility("s", V2_ADD_WITHOUT_DEFAULT);
        assertThat(broken.compatible()).isFalse();
        assertThat(broken.messages().get(0)).contains("The field 'email'");
        assertThat(client.subjects()).containsExactly("s");

        assertThat(client.getCompatibility(null)).contains("BACKWARD");
        assertThat(client.getCompatibility("s")).isEqualTo(Optional.empty());
        client.setCompatibility("s", "forward");
        assertThat(client.getCompatibility("s")).contains("FORWARD");
        assertThat(client.testCompatibility("s", V2_ADD_WITHOUT_DEFAULT).compatible()).isTrue();
        client.setCompatibility(null, "NONE");
        assertThat(client.getCompatibility(null)).contains("NONE");

        assertThatThrownBy(() -> client.setCompatibility("s", "SIDEWAYS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown compatibility level 'SIDEWAYS'");
    }

    @Test
    void subjectsWithSpecialCharactersAreEncoded() {
        assertThat(client.register("my topic/value+x", V1)).isEqualTo(1);
        assertThat(client.subjects()).containsExactly("my topic/value+x");
        assertThat(client.getLatest("my topic/value+x").map(RegisteredSchema::version)).contains(1);
    }

    @Test
    void invalidUrlsAreRejected() {
        assertThatThrownBy(() -> new HttpSchemaRegistryClient("localhost:8085"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "schema registry URL 'localhost:8085' must start with http:// or https://");
    }
}
