package dev.sluice.controller.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.controller.definition.Fixtures;
import dev.sluice.controller.definition.PipelineDefinition;
import dev.sluice.controller.definition.PipelineJson;
import dev.sluice.controller.definition.PipelineOptions;
import dev.sluice.controller.definition.RetryPolicy;
import dev.sluice.controller.definition.Schedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture in {@code pipelines/bad} is JSON exactly as a user would send it; {@code
 * pipelines/bad/expectations.json} pins, per file, the pointer and the exact message (or, for
 * Jackson's own syntax messages, their beginning).
 */
class PipelineValidationTest {

    private static JsonNode expectations() throws Exception {
        return new ObjectMapper().readTree(Fixtures.read("bad", "expectations.json"));
    }

    static Stream<Arguments> badFixtures() throws Exception {
        JsonNode expectations = expectations();
        List<Arguments> arguments = new ArrayList<>();
        for (String file : Fixtures.names("bad")) {
            arguments.add(Arguments.of(file, expectations.get(file)));
        }
        return arguments.stream();
    }

    @Test
    void testEveryBadFixtureHasExactlyOneExpectation() throws Exception {
        TreeSet<String> expected = new TreeSet<>();
        expectations().fieldNames().forEachRemaining(expected::add);

        assertThat(expected).containsExactlyElementsOf(Fixtures.names("bad"));
        assertThat(expected).hasSizeGreaterThanOrEqualTo(20);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFixtures")
    void testBadFixtureIsRejectedWithPointerAndMessage(String file, JsonNode expectation) {
        assertThat(expectation).as("expectation for " + file).isNotNull();
        String json = Fixtures.read("bad", file);

        PipelineValidationException e =
                catchThrowableOfType(
                        PipelineValidationException.class, () -> PipelineJson.parse(json));

        assertThat(e).as(file + " must be rejected").isNotNull();
        assertThat(e.pointer()).isEqualTo(expectation.get("pointer").asText());
        if (expectation.has("error")) {
            assertThat(e.message()).isEqualTo(expectation.get("error").asText());
        } else {
            assertThat(e.message()).startsWith(expectation.get("errorStartsWith").asText());
        }
        assertThat(e.getMessage()).isEqualTo(e.message());
    }

    @Test
    void testNullInputIsRejectedAsNothing() {
        assertThatThrownBy(() -> PipelineJson.parse(null))
                .isInstanceOf(PipelineValidationException.class)
                .hasMessage("expected a JSON object describing a pipeline, got nothing");
    }

    @Test
    void testKeysInsideConfigAreLeftToTheFactories() {
        PipelineDefinition d =
                PipelineJson.parse(
                        "{\"name\": \"p\", \"sources\": [{\"id\": \"s\", \"type\": \"kafka\","
                                + " \"config\": {\"anything\": {\"goes\": [1, 2]}}}],"
                                + " \"sinks\": [{\"id\": \"k\", \"type\": \"kafka\","
                                + " \"inputs\": [\"s\"]}]}");

        assertThat(d.sources().get(0).config().keys()).containsExactly("anything");
    }

    @Test
    void testUnknownKeyPointerEscapesSlashAndTilde() {
        PipelineValidationException e =
                catchThrowableOfType(
                        PipelineValidationException.class,
                        () -> PipelineJson.parse("{\"a/b~c\": 1}"));

        assertThat(e.pointer()).isEqualTo("/a~1b~0c");
        assertThat(e.message()).startsWith("unknown key 'a/b~c' at /a~1b~0c; allowed keys: name,");
    }

    @Test
    void testStructureIsCheckedBeforeTheGraph() {
        // The first error wins: an unknown key is reported although the graph is broken too.
        PipelineValidationException e =
                catchThrowableOfType(
                        PipelineValidationException.class,
                        () ->
                                PipelineJson.parse(
                                        "{\"name\": \"p\", \"sources\": [{\"id\": \"s\","
                                                + " \"type\": \"kafka\"}], \"sinks\": [{\"id\":"
                                                + " \"k\", \"type\": \"kafka\", \"inputs\":"
                                                + " [\"nope\"]}], \"options\": {\"x\": 1}}"));

        assertThat(e.pointer()).isEqualTo("/options/x");
    }

    @Test
    void testBuilderValidatesAsValuesAreSet() {
        assertThatThrownBy(() -> PipelineDefinition.builder().name("Bad Name"))
                .isInstanceOf(PipelineValidationException.class)
                .extracting(e -> ((PipelineValidationException) e).pointer())
                .isEqualTo("/name");
        assertThatThrownBy(
                        () ->
                                PipelineDefinition.builder()
                                        .addSource("a", "kafka", null)
                                        .addSource("b", "kafka", null)
                                        .addSink("a", "kafka", List.of("b"), null))
                .isInstanceOf(PipelineValidationException.class)
                .hasMessage(
                        "/sinks/0/id: duplicate node id 'a', already used at /sources/0/id; node"
                                + " ids must be unique across sources, processors and sinks");
        assertThatThrownBy(() -> PipelineOptions.builder().parallelism(0))
                .isInstanceOf(PipelineValidationException.class)
                .hasMessage("/options/parallelism: expected an integer from 1 to 64, got 0");
        assertThatThrownBy(() -> RetryPolicy.of(2, Duration.ofSeconds(-1)))
                .isInstanceOf(PipelineValidationException.class)
                .hasMessage("/retry/backoff: must not be negative, got PT-1S");
        assertThatThrownBy(() -> Schedule.of(""))
                .isInstanceOf(PipelineValidationException.class)
                .hasMessage(
                        "/schedule/cron: expected a five-field cron expression (minute hour"
                                + " day-of-month month day-of-week) such as \"*/5 * * * *\","
                                + " got 0 fields in \"\"");
    }

    @Test
    void testBuilderRequiresNameSourcesAndSinks() {
        assertThatThrownBy(() -> PipelineDefinition.builder().build())
                .isInstanceOf(PipelineValidationException.class)
                .hasMessageStartingWith("missing required key 'name' at /name;");
        assertThatThrownBy(() -> PipelineDefinition.builder().name("p").build())
                .isInstanceOf(PipelineValidationException.class)
                .hasMessage("/sources: a pipeline needs at least one source");
        assertThatThrownBy(
                        () ->
                                PipelineDefinition.builder()
                                        .name("p")
                                        .addSource("s", "kafka", Map.of())
                                        .build())
                .isInstanceOf(PipelineValidationException.class)
                .hasMessage("/sinks: a pipeline needs at least one sink");
    }

    @Test
    void testConfigValuesMustBeJsonLike() {
        assertThatThrownBy(
                        () ->
                                PipelineDefinition.builder()
                                        .name("p")
                                        .addSource(
                                                "s",
                                                "kafka",
                                                Map.of("nested", Map.of("when", Duration.ZERO))))
                .isInstanceOf(PipelineValidationException.class)
                .hasMessage(
                        "/sources/0/config/nested/when: unsupported config value of type"
                                + " java.time.Duration; allowed: string, number, boolean, null,"
                                + " list, object");
    }
}
