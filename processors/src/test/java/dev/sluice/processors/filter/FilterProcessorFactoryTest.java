package dev.sluice.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.processors.expression.ExpressionException;
import dev.sluice.processors.testing.RecordHarnesses;
import dev.sluice.processors.testing.TestProcessorContext;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.ProcessorFactory.PlannedProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The {@code filter} processor: planning against the input schema, then the operator. */
class FilterProcessorFactoryTest {

    private static final Schema ORDER =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"},"
                                    + "{\"name\":\"amount\",\"type\":[\"null\",\"int\"],\"default\":null},"
                                    + "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\","
                                    + "\"symbols\":[\"NEW\",\"PAID\",\"SHIPPED\"]}},"
                                    + "{\"name\":\"qty\",\"type\":\"int\"}]}");

    private static final String CONDITION = "status = 'PAID' AND amount >= 10";
    private static final StreamDescriptor ORDERS =
            new StreamDescriptor("orders", ORDER, StreamKind.APPEND);
    private static final FilterProcessorFactory FACTORY = new FilterProcessorFactory();

    private static PlannedProcessor plan(String condition, StreamDescriptor... inputs) {
        return FACTORY.plan(
                TestProcessorContext.of(
                        FACTORY,
                        "shop",
                        "only-paid",
                        "/processors/0",
                        Map.of("condition", condition),
                        inputs));
    }

    private static ConfigValidationException planError(
            String condition, StreamDescriptor... inputs) {
        return catchThrowableOfType(ConfigValidationException.class, () -> plan(condition, inputs));
    }

    private static GenericRecord order(long id, Integer amount, String status, int qty) {
        GenericRecord r = new GenericData.Record(ORDER);
        r.put("id", id);
        r.put("customer", "c" + id);
        r.put("amount", amount);
        r.put("status", new GenericData.EnumSymbol(ORDER.getField("status").schema(), status));
        r.put("qty", qty);
        return r;
    }

    private static SluiceRecord record(GenericRecord value) {
        long offset = (Long) value.get("id");
        byte[] key = ("k" + offset).getBytes(StandardCharsets.UTF_8);
        return SluiceRecord.fromKafka(
                        "orders", 0, offset, 1_000L + offset, key, new byte[] {0, 0, 0, 0, 1})
                .withValue(value);
    }

    private static OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness(
            String condition) throws Exception {
        return RecordHarnesses.of(
                new FilterProcessorFactory.FilterFunction(
                        "only-paid", condition, ORDER.toString()));
    }

    @Test
    void testIdentifierAndOptions() {
        assertThat(FACTORY.identifier()).isEqualTo("filter");
        assertThat(FACTORY.requiredOptions()).containsExactly(FilterProcessorFactory.CONDITION);
        assertThat(FACTORY.optionalOptions()).isEmpty();
    }

    @Test
    void testUnknownFieldInConditionPointsAtCondition() {
        ConfigValidationException e = planError("status = 'PAID' AND amout >= 10", ORDERS);

        assertThat(e.pointer()).isEqualTo("/processors/0/config/condition");
        assertThat(e.getMessage())
                .isEqualTo(
                        "unknown field 'amout' in expression \"status = 'PAID' AND amout >= 10\";"
                                + " the input has fields: id, customer, amount, status, qty");
        assertThat(e.getCause()).isInstanceOf(ExpressionException.class);
    }

    @Test
    void testNonBooleanConditionPointsAtCondition() {
        ConfigValidationException e = planError("amount + 1", ORDERS);

        assertThat(e.pointer()).isEqualTo("/processors/0/config/condition");
        assertThat(((ExpressionException) e.getCause()).kind())
                .isEqualTo(ExpressionException.Kind.TYPE);
    }

    @Test
    void testSyntaxErrorPointsAtCondition() {
        ConfigValidationException e = planError("status = = 'PAID'", ORDERS);

        assertThat(e.pointer()).isEqualTo("/processors/0/config/condition");
        assertThat(((ExpressionException) e.getCause()).kind())
                .isEqualTo(ExpressionException.Kind.PARSE);
    }

    @Test
    void testTwoInputsPointAtInputs() {
        ConfigValidationException e =
                planError(
                        CONDITION,
                        ORDERS,
                        new StreamDescriptor("refunds", ORDER, StreamKind.APPEND));

        assertThat(e.pointer()).isEqualTo("/processors/0/inputs");
        assertThat(e.getMessage())
                .isEqualTo("processor 'only-paid' reads exactly one input, got 2");
    }

    @Test
    void testOutputIsTheInputSchemaAndKind() {
        PlannedProcessor planned = plan(CONDITION, ORDERS);

        assertThat(planned.outputSchema()).isEqualTo(ORDER);
        assertThat(planned.outputKind()).isEqualTo(StreamKind.APPEND);
        assertThat(
                        plan(CONDITION, new StreamDescriptor("cdc", ORDER, StreamKind.CHANGELOG))
                                .outputKind())
                .isEqualTo(StreamKind.CHANGELOG);
    }

    @Test
    void testLineageIsEachFieldPlusTheConditionsFields() {
        Map<String, Set<String>> lineage = plan(CONDITION, ORDERS).lineage();

        assertThat(lineage.keySet()).containsExactly("id", "customer", "amount", "status", "qty");
        assertThat(lineage.get("id"))
                .containsExactly("orders.amount", "orders.id", "orders.status");
        assertThat(lineage.get("customer"))
                .containsExactly("orders.amount", "orders.customer", "orders.status");
        assertThat(lineage.get("amount")).containsExactly("orders.amount", "orders.status");
        assertThat(lineage.get("status")).containsExactly("orders.amount", "orders.status");
        assertThat(lineage.get("qty"))
                .containsExactly("orders.amount", "orders.qty", "orders.status");
    }

    @Test
    void testKeepsExactlyTheRecordsWhereTheConditionIsTrue() throws Exception {
        SluiceRecord paid12 = record(order(1, 12, "PAID", 1));
        SluiceRecord paid10 = record(order(2, 10, "PAID", 1));
        SluiceRecord paid9 = record(order(3, 9, "PAID", 1));
        SluiceRecord new50 = record(order(4, 50, "NEW", 1));
        SluiceRecord shipped20 = record(order(5, 20, "SHIPPED", 1));
        SluiceRecord paid100 = record(order(6, 100, "PAID", 1));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(CONDITION)) {
            for (SluiceRecord r : List.of(paid12, paid10, paid9, new50, shipped20, paid100)) {
                harness.processElement(r, r.timestamp());
            }

            assertThat(harness.extractOutputValues()).containsExactly(paid12, paid10, paid100);
            assertThat(RecordHarnesses.deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testKeptRecordKeepsKeyAndOrigin() throws Exception {
        SluiceRecord paid = record(order(7, 12, "PAID", 1));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(CONDITION)) {
            harness.processElement(paid, paid.timestamp());

            SluiceRecord out = harness.extractOutputValues().get(0);
            assertThat(out.key()).isEqualTo("k7".getBytes(StandardCharsets.UTF_8));
            assertThat(out.sourceTopic()).isEqualTo("orders");
            assertThat(out.sourceOffset()).isEqualTo(7L);
            assertThat(out.timestamp()).isEqualTo(1_007L);
        }
    }

    @Test
    void testNullFieldDropsTheRecordWithoutDeadLetter() throws Exception {
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(CONDITION)) {
            harness.processElement(record(order(1, null, "PAID", 1)), 1_001L);

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(RecordHarnesses.deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testEvaluationErrorGoesToDeadLettersWithProcessorId() throws Exception {
        SluiceRecord zeroQty = record(order(1, 5, "PAID", 0));
        SluiceRecord twoQty = record(order(2, 5, "PAID", 2));
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness("amount / qty > 1")) {
            harness.processElement(zeroQty, 1_001L);
            harness.processElement(twoQty, 1_002L);

            assertThat(harness.extractOutputValues()).containsExactly(twoQty);
            List<DeadLetter> dead = RecordHarnesses.deadLetters(harness);
            assertThat(dead).hasSize(1);
            DeadLetter dl = dead.get(0);
            assertThat(dl.processorId).isEqualTo("only-paid");
            assertThat(dl.errorClass)
                    .isEqualTo("dev.sluice.processors.expression.ExpressionEvaluationException");
            assertThat(dl.errorMessage)
                    .isEqualTo(
                            "division by zero: \"amount / qty\" in expression \"amount / qty >"
                                    + " 1\"");
            assertThat(dl.sourceTopic).isEqualTo("orders");
            assertThat(dl.sourcePartition).isEqualTo(0);
            assertThat(dl.sourceOffset).isEqualTo(1L);
            assertThat(dl.originalKey).isEqualTo("k1".getBytes(StandardCharsets.UTF_8));
            assertThat(dl.originalValue).isEqualTo(new byte[] {0, 0, 0, 0, 1});
            assertThat(dl.attempt).isEqualTo(1);
        }
    }

    @Test
    void testNullDividedByZeroIsNullNotAnError() throws Exception {
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness("amount / qty > 1")) {
            harness.processElement(record(order(1, null, "PAID", 0)), 1_001L);

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(RecordHarnesses.deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testTombstonePassesThrough() throws Exception {
        SluiceRecord tombstone =
                SluiceRecord.fromKafka(
                        "orders", 0, 9L, 1_009L, "k9".getBytes(StandardCharsets.UTF_8), null);
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                harness(CONDITION)) {
            harness.processElement(tombstone, 1_009L);

            assertThat(harness.extractOutputValues()).containsExactly(tombstone);
        }
    }
}
