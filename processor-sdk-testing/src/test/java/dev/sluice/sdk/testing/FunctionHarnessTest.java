package dev.sluice.sdk.testing;

import static dev.sluice.sdk.testing.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.functions.RecordProcessFunction;
import java.nio.charset.StandardCharsets;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** Record-by-record runs of one function, with its state across snapshot and restore. */
class FunctionHarnessTest {

    @Test
    void outputsAndDeadLettersComeInOrderWithTheirOrigin() throws Exception {
        try (FunctionHarness harness =
                FunctionHarness.of(
                        new UpperCaseProcessorFactory.UpperCase("shout", "customer"),
                        Orders.SCHEMA,
                        Orders.SCHEMA)) {
            harness.process(order(1, "ada")).process(order(2, "")).process(order(3, "grace"));
            byte[] key = "k".getBytes(StandardCharsets.UTF_8);
            harness.process(
                    SluiceRecord.of(key, order(4, "linus"), 99L, "orders", 2, 40L, key, null));

            assertThat(harness.outputs())
                    .containsExactly(order(1, "ADA"), order(3, "GRACE"), order(4, "LINUS"));
            SluiceRecord last = harness.outputRecords().get(2);
            assertThat(last.key()).isEqualTo(key);
            assertThat(last.timestamp()).isEqualTo(99L);
            assertThat(
                            last.sourceTopic()
                                    + "/"
                                    + last.sourcePartition()
                                    + "@"
                                    + last.sourceOffset())
                    .isEqualTo("orders/2@40");
            assertThat(harness.deadLetters())
                    .extracting(
                            d ->
                                    d.processorId
                                            + " "
                                            + d.sourceTopic
                                            + "@"
                                            + d.sourceOffset
                                            + " "
                                            + d.errorMessage)
                    .containsExactly("shout input@1 customer is empty");
        }
    }

    @Test
    void stateSurvivesASnapshotAndRestoreIntoAFreshInstance() throws Exception {
        try (FunctionHarness harness =
                FunctionHarness.of(
                        new DistinctIdsFunction("distinct"), Orders.SCHEMA, Orders.SCHEMA)) {
            harness.process(order(1, "ada")).process(order(2, "grace")).process(order(1, "ada"));
            assertThat(harness.outputs()).containsExactly(order(1, "ada"), order(2, "grace"));

            OperatorSubtaskState checkpoint = harness.snapshot();
            // Seen after the checkpoint: lost by the restore below, like after a failover.
            harness.process(order(3, "linus"));
            harness.process(order(-1, "nobody"));
            assertThat(harness.deadLetters())
                    .extracting(d -> d.errorMessage)
                    .containsExactly("negative id -1");

            harness.restore(checkpoint);
            assertThat(harness.outputs()).isEmpty();
            assertThat(harness.deadLetters()).isEmpty();
            harness.process(order(1, "ada")).process(order(3, "linus")).process(order(2, "x"));
            assertThat(harness.outputs()).containsExactly(order(3, "linus"));

            // A second checkpoint of the restored instance holds ids 1, 2 and 3.
            OperatorSubtaskState second = harness.snapshot();
            harness.restore(second);
            harness.process(order(3, "linus")).process(order(4, "alan"));
            assertThat(harness.outputs()).containsExactly(order(4, "alan"));
        }
    }

    @Test
    void aFunctionThatDoesNotSerializeIsRefusedAsNoJobCouldShipIt() {
        assertThatThrownBy(
                        () ->
                                FunctionHarness.of(
                                        new HoldsAThread("p"), Orders.SCHEMA, Orders.SCHEMA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(HoldsAThread.class.getName() + " does not serialize");
    }

    /** Captures something that does not serialize. */
    private static final class HoldsAThread extends RecordProcessFunction {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("unused")
        private final Thread thread = new Thread();

        HoldsAThread(String processorId) {
            super(processorId);
        }

        @Override
        protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out) {
            out.collect(record);
        }
    }
}
