package dev.sluice.controller.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.controller.definition.NodeDefinition;
import dev.sluice.controller.definition.PipelineDefinition;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PipelineGraphValidatorTest {

    @Test
    void testTopologicalOrderBreaksTiesByDeclarationOrder() {
        // Declared out of flow order: "late" reads "early2", which is declared after it.
        PipelineDefinition d =
                PipelineDefinition.builder()
                        .name("p")
                        .addSource("b", "kafka", null)
                        .addSource("a", "kafka", null)
                        .addProcessor("late", "filter", List.of("early2"), null)
                        .addProcessor("early1", "filter", List.of("a"), null)
                        .addProcessor("early2", "union", List.of("early1", "b"), null)
                        .addSink("out2", "kafka", List.of("late"), null)
                        .addSink("out1", "kafka", List.of("b"), null)
                        .build();

        assertThat(ids(d.topologicalOrder()))
                .containsExactly("b", "a", "early1", "early2", "late", "out2", "out1");
    }

    @Test
    void testSourcesComeFirstEvenWhenASinkIsReadyEarly() {
        PipelineDefinition d =
                PipelineDefinition.builder()
                        .name("p")
                        .addSource("s1", "kafka", null)
                        .addSource("s2", "kafka", null)
                        .addSink("k1", "kafka", List.of("s1"), null)
                        .addSink("k2", "kafka", List.of("s2"), null)
                        .build();

        assertThat(ids(d.topologicalOrder())).containsExactly("s1", "s2", "k1", "k2");
    }

    @Test
    void testTwoNodeCycleIsNamedFromTheFirstDeclaredNode() {
        PipelineValidationException e =
                catchThrowableOfType(
                        PipelineValidationException.class,
                        () ->
                                PipelineDefinition.builder()
                                        .name("p")
                                        .addSource("s", "kafka", null)
                                        .addProcessor("x", "union", List.of("s", "y"), null)
                                        .addProcessor("y", "filter", List.of("x"), null)
                                        .addSink("k", "kafka", List.of("y"), null)
                                        .build());

        assertThat(e.pointer()).isEqualTo("/processors/0/inputs/1");
        assertThat(e.message())
                .isEqualTo(
                        "cycle: x -> y -> x; the nodes must form a DAG: no processor may read its"
                                + " own output, directly or through other processors");
    }

    @Test
    void testCycleFoundFromALaterStartIsStillReportedFromItsFirstNode() {
        // The search starts at "entry" (declared first) and meets the cycle c -> b -> c.
        PipelineValidationException e =
                catchThrowableOfType(
                        PipelineValidationException.class,
                        () ->
                                PipelineDefinition.builder()
                                        .name("p")
                                        .addSource("s", "kafka", null)
                                        .addProcessor("entry", "filter", List.of("s"), null)
                                        .addProcessor("b", "union", List.of("entry", "c"), null)
                                        .addProcessor("c", "filter", List.of("b"), null)
                                        .addSink("k", "kafka", List.of("c"), null)
                                        .build());

        assertThat(e.message()).startsWith("cycle: b -> c -> b;");
        assertThat(e.pointer()).isEqualTo("/processors/1/inputs/1");
    }

    @Test
    void testProcessorFeedingOnlyAnotherDeadEndIsReported() {
        PipelineValidationException e =
                catchThrowableOfType(
                        PipelineValidationException.class,
                        () ->
                                PipelineDefinition.builder()
                                        .name("p")
                                        .addSource("s", "kafka", null)
                                        .addProcessor("a", "filter", List.of("s"), null)
                                        .addProcessor("b", "filter", List.of("a"), null)
                                        .addSink("k", "kafka", List.of("s"), null)
                                        .build());

        assertThat(e.pointer()).isEqualTo("/processors/0");
        assertThat(e.message())
                .isEqualTo(
                        "processor 'a' does not reach any sink; every processor must feed a sink,"
                                + " directly or through other processors");
    }

    @Test
    void testUnreadSourceIsAllowed() {
        PipelineDefinition d =
                PipelineDefinition.builder()
                        .name("p")
                        .addSource("used", "kafka", null)
                        .addSource("unused", "postgres-cdc", null)
                        .addSink("k", "kafka", List.of("used"), null)
                        .build();

        assertThat(ids(d.unreadSources())).containsExactly("unused");
    }

    private static List<String> ids(List<NodeDefinition> nodes) {
        return nodes.stream().map(NodeDefinition::id).collect(Collectors.toList());
    }
}
