package dev.sluice.sdk.testing;

import static dev.sluice.sdk.testing.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.config.ConfigValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness plans like the platform and runs the processor's real operators. */
class ProcessorTestHarnessTest {

    private static ProcessorTestHarness.Builder upper() {
        return ProcessorTestHarness.of(new UpperCaseProcessorFactory())
                .nodeId("shout")
                .input("orders", Orders.SCHEMA);
    }

    @Test
    void runsTheTranslatedOperatorsAndCollectsOutputsAndDeadLetters() throws Exception {
        ProcessorTestHarness harness = upper().config(Map.of("field", "customer")).build();
        assertThat(harness.outputSchema()).isEqualTo(Orders.SCHEMA);

        ProcessorRun run =
                harness.run(
                        List.of(
                                order(1, "ada"),
                                order(2, ""),
                                order(3, "grace"),
                                order(4, "linus")));

        assertThat(run.outputs())
                .containsExactly(order(1, "ADA"), order(3, "GRACE"), order(4, "LINUS"));
        assertThat(run.outputRecords())
                .extracting(r -> r.sourceTopic() + "/" + r.sourceOffset() + "@" + r.timestamp())
                .containsExactly("orders/0@0", "orders/2@2", "orders/3@3");
        assertThat(run.deadLetters()).hasSize(1);
        DeadLetter dl = run.deadLetters().get(0);
        assertThat(dl.processorId).isEqualTo("shout");
        assertThat(dl.sourceTopic).isEqualTo("orders");
        assertThat(dl.sourcePartition).isEqualTo(0);
        assertThat(dl.sourceOffset).isEqualTo(1L);
        assertThat(dl.errorClass).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(dl.errorMessage).isEqualTo("customer is empty");
    }

    @Test
    void noRecordsRunToNothing() throws Exception {
        ProcessorRun run = upper().config(Map.of("field", "customer")).build().run(List.of());
        assertThat(run.outputs()).isEmpty();
        assertThat(run.deadLetters()).isEmpty();
    }

    @Test
    void configErrorsAreRefusedWithThePointerThePlatformWouldAnswer() {
        assertThatThrownBy(() -> upper().config(Map.of("field", "customer", "colour", 1)).build())
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/processors/0/config/colour"))
                .hasMessage(
                        "unknown key 'colour' at /processors/0/config/colour; allowed keys for"
                                + " 'test-upper': field");
        assertThatThrownBy(() -> upper().build())
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/processors/0/config/field"));
        assertThatThrownBy(() -> upper().config(Map.of("field", 7)).build())
                .isInstanceOf(ConfigValidationException.class)
                .hasMessage("/processors/0/config/field: expected a string, got 7");
        // The factory's own checks run too.
        assertThatThrownBy(() -> upper().config(Map.of("field", "id")).build())
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/processors/0/config/field"))
                .hasMessage("'id' is not a string field");
    }

    @Test
    void aStreamWithoutTheDeclaredOutputTypeIsRefusedBeforeItRuns() {
        ProcessorTestHarness harness =
                ProcessorTestHarness.of(new UpperCaseProcessorFactory(true))
                        .config(Map.of("field", "customer"))
                        .input("orders", Orders.SCHEMA)
                        .build();
        assertThatThrownBy(() -> harness.run(List.of(order(1, "ada"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declares output SluiceRecord<test.Order>")
                .hasMessageContaining("returned a stream of SluiceRecord<test.Other>");
    }

    @Test
    void inputsAreNamedByTheirIds() {
        ProcessorTestHarness harness = upper().config(Map.of("field", "customer")).build();
        assertThatThrownBy(() -> harness.run(Map.of("payments", List.of(order(1, "ada")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no input 'payments'; the processor's inputs are [orders]");
        assertThatThrownBy(() -> upper().input("orders", Orders.SCHEMA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input 'orders' is declared twice");
    }
}
