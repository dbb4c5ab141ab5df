package dev.sluice.controller.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.controller.validation.PipelineValidationException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SecretReferencesTest {

    private static final Map<String, String> ENV =
            Map.of(
                    "STUDIO_DB_PASSWORD", "s3cr3t",
                    "BI_PASSWORD", "b$1\\x",
                    "CRM_PASSWORD", "crm-pw");

    @Test
    void testResolveReplacesWholeAndEmbeddedReferences() {
        PipelineDefinition d = Fixtures.good("batch-triggered.json");
        NodeConfig config = d.node("reporting").orElseThrow().config();

        NodeConfig resolved = SecretReferences.resolve(config, ENV::get);

        assertThat(resolved.get("password")).contains("b$1\\x");
        assertThat(resolved.get("url"))
                .contains("jdbc:mariadb://reporting:3306/bi?password=b$1\\x");
        assertThat(resolved.get("username")).contains("loader");
        assertThat(resolved.pointer()).isEqualTo("/sinks/0/config");
        assertThat(resolved.keys()).containsExactlyElementsOf(config.keys());
        assertThat(config.get("password")).contains("${env:BI_PASSWORD}");
    }

    @Test
    void testResolveWalksNestedMapsAndLists() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("sasl", List.of("user=${env:U}", 5, Arrays.asList((Object) null)));
        NodeConfig config = NodeConfig.of("/sources/2/config", Map.of("properties", nested));

        NodeConfig resolved = SecretReferences.resolve(config, Map.of("U", "alice")::get);

        assertThat(resolved.asMap())
                .isEqualTo(
                        Map.of(
                                "properties",
                                Map.of(
                                        "sasl",
                                        List.of("user=alice", 5, Arrays.asList((Object) null)))));
    }

    @Test
    void testUnsetVariableIsReportedAtItsValue() {
        NodeConfig config = Fixtures.good("contract-example.json").sources().get(0).config();

        PipelineValidationException e =
                catchThrowableOfType(
                        PipelineValidationException.class,
                        () -> SecretReferences.resolve(config, name -> null));

        assertThat(e.pointer()).isEqualTo("/sources/0/config/password");
        assertThat(e.message())
                .isEqualTo(
                        "environment variable STUDIO_DB_PASSWORD referenced at"
                                + " /sources/0/config/password is not set");
    }

    @Test
    void testUnsetVariableInsideAListPointsAtTheElement() {
        NodeConfig config =
                NodeConfig.of("/sinks/1/config", Map.of("servers", List.of("a", "${env:HOST}")));

        PipelineValidationException e =
                catchThrowableOfType(
                        PipelineValidationException.class,
                        () -> SecretReferences.resolve(config, name -> null));

        assertThat(e.pointer()).isEqualTo("/sinks/1/config/servers/1");
    }

    @Test
    void testResolveDefinitionKeepsEverythingElse() {
        PipelineDefinition d = Fixtures.good("join-union-gate.json");

        PipelineDefinition resolved = SecretReferences.resolve(d, ENV::get);

        assertThat(resolved.node("customers").orElseThrow().config().get("password"))
                .contains("crm-pw");
        assertThat(resolved.node("customers").orElseThrow().config().pointer("password"))
                .isEqualTo("/sources/2/config/password");
        assertThat(resolved.nodeIds()).isEqualTo(d.nodeIds());
        assertThat(resolved.node("checked").orElseThrow().config())
                .isEqualTo(d.node("checked").orElseThrow().config());
        assertThat(resolved.options()).isEqualTo(d.options());
        assertThat(resolved).isNotEqualTo(d);
    }

    @Test
    void testReferencedVariablesAreListedOnceInDocumentOrder() {
        assertThat(SecretReferences.referencedVariables(Fixtures.good("batch-triggered.json")))
                .containsExactly("BI_PASSWORD");
        assertThat(SecretReferences.referencedVariables(Fixtures.good("contract-example.json")))
                .containsExactly("STUDIO_DB_PASSWORD");
        assertThat(
                        SecretReferences.referencedVariables(
                                NodeConfig.of(
                                        "/sources/0/config",
                                        Map.of("a", "${env:X}-${env:Y}-${env:X}"))))
                .containsExactly("X", "Y");
        assertThat(
                        SecretReferences.referencedVariables(
                                Fixtures.good("kafka-filter-project-kafka.json")))
                .isEmpty();
    }

    @Test
    void testSecretValuesAreTheSetValuesOfReferencedVariables() {
        Map<String, String> env = new HashMap<>(ENV);
        env.put("STUDIO_DB_PASSWORD", "");
        Function<String, String> lookup = env::get;

        assertThat(SecretReferences.secretValues(Fixtures.good("join-union-gate.json"), lookup))
                .containsExactly("crm-pw");
        assertThat(SecretReferences.secretValues(Fixtures.good("contract-example.json"), lookup))
                .isEmpty();
    }

    @Test
    void testMaskHidesEverySecretValueLongestFirst() {
        assertThat(
                        SecretReferences.mask(
                                "login failed for cdc with s3cr3t (s3cr3t-old tried too)",
                                List.of("s3cr3t", "s3cr3t-old")))
                .isEqualTo("login failed for cdc with ****** (****** tried too)");
        assertThat(SecretReferences.mask("nothing here", Arrays.asList("", null)))
                .isEqualTo("nothing here");
        assertThat(SecretReferences.mask(null, List.of("x"))).isNull();
        assertThat(SecretReferences.mask("a.b", List.of("."))).isEqualTo("a******b");
    }

    @Test
    void testSecretKeysAreRecognizedIgnoringCase() {
        assertThat(
                        List.of(
                                "password",
                                "PASSWORD",
                                "db_password",
                                "ssl.truststore.password",
                                "secret",
                                "clientSecret",
                                "token",
                                "apiToken"))
                .allMatch(SecretReferences::isSecretKey);
        assertThat(List.of("username", "passwordFile", "tokens", "secretsPath", "topic"))
                .noneMatch(SecretReferences::isSecretKey);
    }

    @Test
    void testSecretKeysAcceptReferencesAndEmptyValues() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("password", "${env:DB_PASSWORD}");
        config.put("apiToken", "");
        config.put("clientSecret", null);
        config.put("url", "jdbc:x://h/db?user=${env:U}&password=${env:P}");

        SecretReferences.validate(NodeConfig.of("/sources/0/config", config));
    }

    @Test
    void testSecretKeysRejectPartialReferences() {
        NodeConfig config =
                NodeConfig.of("/sinks/0/config", Map.of("password", "prefix-${env:DB_PASSWORD}"));

        PipelineValidationException e =
                catchThrowableOfType(
                        PipelineValidationException.class, () -> SecretReferences.validate(config));

        assertThat(e.pointer()).isEqualTo("/sinks/0/config/password");
        assertThat(e.message())
                .isEqualTo(
                        "/sinks/0/config/password: secrets must be references like ${env:NAME},"
                                + " not literal values");
    }

    @Test
    void testNestedSecretNamedKeysAreNotRestricted() {
        // A project's output field may be called "password"; only top-level config keys name
        // secrets.
        NodeConfig config =
                NodeConfig.of(
                        "/processors/0/config",
                        Map.of("fields", Map.of("user_password", "password_hash")));

        SecretReferences.validate(config);
    }

    @Test
    void testMalformedReferenceIsRejectedAnywhere() {
        NodeConfig config =
                NodeConfig.of("/sources/0/config", Map.of("tables", List.of("${env:}x")));

        PipelineValidationException e =
                catchThrowableOfType(
                        PipelineValidationException.class, () -> SecretReferences.validate(config));

        assertThat(e.pointer()).isEqualTo("/sources/0/config/tables/0");
        assertThat(e.message())
                .isEqualTo(
                        "/sources/0/config/tables/0: malformed secret reference '${env:}'; write"
                                + " ${env:NAME} where NAME matches [A-Za-z_][A-Za-z0-9_]*");
    }

    @Test
    void testReferenceSyntax() {
        assertThat(SecretReferences.isReference("${env:_A1}")).isTrue();
        assertThat(SecretReferences.isReference("${env:1A}")).isFalse();
        assertThat(SecretReferences.isReference("${vault:a}")).isFalse();
        assertThat(SecretReferences.isReference("x${env:A}")).isFalse();
    }
}
