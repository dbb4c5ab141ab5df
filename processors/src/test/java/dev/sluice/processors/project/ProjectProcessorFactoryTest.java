package dev.sluice.processors.project;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The {@code project} processor: output schema at plan time, then the operator. */
class ProjectProcessorFactoryTest {

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

    private static final StreamDescriptor ORDERS =
            new StreamDescriptor("orders", ORDER, StreamKind.APPEND);
    private static final ProjectProcessorFactory FACTORY = new ProjectProcessorFactory();
    private static final byte[] KEY = "order-3".getBytes(StandardCharsets.UTF_8);

    private static LinkedHashMap<String, String> fields(String... namesAndExpressions) {
        LinkedHashMap<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndExpressions.length; i += 2) {
            fields.put(namesAndExpressions[i], namesAndExpressions[i + 1]);
        }
        return fields;
    }

    private static final LinkedHashMap<String, String> FIELDS =
            fields(
                    "id", "id",
                    "total", "amount * 2",
                    "who", "UPPER(customer)",
                    "ratio", "id / qty");

    private static PlannedProcessor plan(Map<String, String> fields, StreamDescriptor... inputs) {
        return FACTORY.plan(
                TestProcessorContext.of(
                        FACTORY,
                        "shop",
                        "enrich-orders",
                        "/processors/0",
                        Map.of("fields", fields),
                        inputs));
    }

    private static ConfigValidationException planError(
            Map<String, String> fields, StreamDescriptor... inputs) {
        return catchThrowableOfType(ConfigValidationException.class, () -> plan(fields, inputs));
    }

    private static GenericRecord order(long id, Integer amount, int qty) {
        GenericRecord r = new GenericData.Record(ORDER);
        r.put("id", id);
        r.put("customer", "ann");
        r.put("amount", amount);
        r.put("status", new GenericData.EnumSymbol(ORDER.getField("status").schema(), "PAID"));
        r.put("qty", qty);
        return r;
    }

    private static SluiceRecord record(GenericRecord value) {
        long offset = (Long) value.get("id");
        return SluiceRecord.fromKafka("orders", 2, offset, 5_000L, KEY, new byte[] {0, 0, 0, 0, 4})
                .withValue(value);
    }

    private static OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness()
            throws Exception {
        return RecordHarnesses.of(
                new ProjectProcessorFactory.ProjectFunction(
                        "enrich-orders", FIELDS, ORDER.toString(), "shop_enrich_orders"));
    }

    @Test
    void testOutputSchemaHasTheFieldsInOrderWithTheirTypes() {
        Schema output = plan(FIELDS, ORDERS).outputSchema();

        assertThat(output.getType()).isEqualTo(Schema.Type.RECORD);
        assertThat(output.getFullName()).isEqualTo("shop_enrich_orders");
        assertThat(output.getFields())
                .extracting(Schema.Field::name)
                .containsExactly("id", "total", "who", "ratio");
        assertThat(output.getField("id").schema().toString()).isEqualTo("\"long\"");
        assertThat(output.getField("total").schema().toString()).isEqualTo("[\"null\",\"int\"]");
        assertThat(output.getField("total").defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
        assertThat(output.getField("who").schema().toString()).isEqualTo("\"string\"");
        assertThat(output.getField("ratio").schema().toString()).isEqualTo("\"long\"");
    }

    @Test
    void testOutputRecordNameIsAValidAvroNameFromPipelineAndNode() {
        assertThat(ProjectProcessorFactory.outputRecordName("shop", "enrich-orders"))
                .isEqualTo("shop_enrich_orders");
        assertThat(ProjectProcessorFactory.outputRecordName("a-b", "c.d")).isEqualTo("a_b_c_d");
    }

    @Test
    void testOutputKindFollowsTheInput() {
        assertThat(plan(FIELDS, ORDERS).outputKind()).isEqualTo(StreamKind.APPEND);
        assertThat(
                        plan(FIELDS, new StreamDescriptor("cdc", ORDER, StreamKind.CHANGELOG))
                                .outputKind())
                .isEqualTo(StreamKind.CHANGELOG);
    }

    @Test
    void testLineageNamesTheInputFieldsOfEachOutputField() {
        Map<String, Set<String>> lineage = plan(FIELDS, ORDERS).lineage();

        assertThat(lineage)
                .containsExactly(
                        Map.entry("id", Set.of("orders.id")),
                        Map.entry("total", Set.of("orders.amount")),
                        Map.entry("who", Set.of("orders.customer")),
                        Map.entry("ratio", Set.of("orders.id", "orders.qty")));
    }

    @Test
    void testErrorInAFieldPointsAtThatField() {
        ConfigValidationException e = planError(fields("id", "id", "total", "amout * 2"), ORDERS);

        assertThat(e.pointer()).isEqualTo("/processors/0/config/fields/total");
        assertThat(e.getMessage())
                .isEqualTo(
                        "fields.total: unknown field 'amout' in expression \"amout * 2\"; the"
                                + " input has fields: id, customer, amount, status, qty");
        assertThat(((ExpressionException) e.getCause()).outputField()).isEqualTo("total");
    }

    @Test
    void testInvalidOutputNamePointsAtItEscaped() {
        ConfigValidationException e = planError(fields("a/b", "id"), ORDERS);

        assertThat(e.pointer()).isEqualTo("/processors/0/config/fields/a~1b");
        assertThat(e.getMessage())
                .isEqualTo(
                        "fields.a/b: 'a/b' is not a valid output field name: use letters,"
                                + " digits and '_', not starting with a digit");
    }

    @Test
    void testNoFieldsPointsAtFields() {
        ConfigValidationException e = planError(fields(), ORDERS);

        assertThat(e.pointer()).isEqualTo("/processors/0/config/fields");
        assertThat(e.getMessage())
                .isEqualTo("/processors/0/config/fields: name at least one output field");
    }

    @Test
    void testTwoInputsPointAtInputs() {
        ConfigValidationException e =
                planError(FIELDS, ORDERS, new StreamDescriptor("more", ORDER, StreamKind.APPEND));

        assertThat(e.pointer()).isEqualTo("/processors/0/inputs");
        assertThat(e.getMessage())
                .isEqualTo("processor 'enrich-orders' reads exactly one input, got 2");
    }

    @Test
    void testFunctionComputesTheFieldsAndKeepsKeyAndOrigin() throws Exception {
        Schema output = plan(FIELDS, ORDERS).outputSchema();
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness = harness()) {
            harness.processElement(record(order(3, 7, 2)), 5_000L);
            harness.processElement(record(order(4, null, 4)), 5_000L);

            List<SluiceRecord> out = harness.extractOutputValues();
            assertThat(out).hasSize(2);
            GenericRecord first = out.get(0).value();
            assertThat(first.getSchema()).isEqualTo(output);
            assertThat(first.get("id")).isEqualTo(3L);
            assertThat(first.get("total")).isEqualTo(14);
            assertThat(first.get("who").toString()).isEqualTo("ANN");
            assertThat(first.get("ratio")).isEqualTo(1L);
            assertThat(out.get(0).key()).isEqualTo(KEY);
            assertThat(out.get(0).sourceTopic()).isEqualTo("orders");
            assertThat(out.get(0).sourcePartition()).isEqualTo(2);
            assertThat(out.get(0).sourceOffset()).isEqualTo(3L);
            assertThat(out.get(0).timestamp()).isEqualTo(5_000L);
            GenericRecord second = out.get(1).value();
            assertThat(second.get("total")).isNull();
            assertThat(second.get("ratio")).isEqualTo(1L);
            assertThat(RecordHarnesses.deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testDivisionByZeroGoesToDeadLettersNamingTheProcessor() throws Exception {
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness = harness()) {
            harness.processElement(record(order(3, 7, 0)), 5_000L);

            assertThat(harness.extractOutputValues()).isEmpty();
            List<DeadLetter> dead = RecordHarnesses.deadLetters(harness);
            assertThat(dead).hasSize(1);
            DeadLetter dl = dead.get(0);
            assertThat(dl.processorId).isEqualTo("enrich-orders");
            assertThat(dl.errorClass)
                    .isEqualTo("dev.sluice.processors.expression.ExpressionEvaluationException");
            assertThat(dl.errorMessage)
                    .isEqualTo("fields.ratio: division by zero in expression \"id / qty\"");
            assertThat(dl.sourceTopic).isEqualTo("orders");
            assertThat(dl.sourcePartition).isEqualTo(2);
            assertThat(dl.sourceOffset).isEqualTo(3L);
            assertThat(dl.originalKey).isEqualTo(KEY);
            assertThat(dl.originalValue).isEqualTo(new byte[] {0, 0, 0, 0, 4});
        }
    }

    @Test
    void testTombstonePassesThrough() throws Exception {
        SluiceRecord tombstone = SluiceRecord.fromKafka("orders", 2, 8L, 5_000L, KEY, null);
        try (OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness = harness()) {
            harness.processElement(tombstone, 5_000L);

            assertThat(harness.extractOutputValues()).containsExactly(tombstone);
        }
    }
}
