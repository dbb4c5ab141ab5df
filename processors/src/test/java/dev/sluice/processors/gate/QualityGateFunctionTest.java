package dev.sluice.processors.gate;

import static dev.sluice.processors.gate.GateFixtures.ORDER;
import static dev.sluice.processors.gate.GateFixtures.order;
import static dev.sluice.processors.gate.GateFixtures.rule;
import static dev.sluice.processors.gate.GateFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.processors.gate.QualityGateProcessorFactory.QualityGateFunction;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.formats.avro.utils.AvroKryoSerializerUtils;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code quality-gate} operator through Flink's harness: what passes, what is dead-lettered.
 */
class QualityGateFunctionTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final String VIOLATION = QualityRuleViolation.class.getName();

    private OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness;
    private MockEnvironment environment;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (environment != null) {
            environment.close();
        }
    }

    private static QualityGateFunction function(Object... rules) {
        return new QualityGateFunction(
                "gate", GateFixtures.rules(rules), ORDER.toString(), () -> NOW);
    }

    private void open(Object... rules) throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(function(rules));
        copyAvroRecords();
    }

    /**
     * The harness copies every output with Flink's serializer for its class: Kryo for {@link
     * SluiceRecord}, which copies Avro records only with flink-avro's serializer for them.
     */
    private void copyAvroRecords() {
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .addDefaultKryoSerializer(
                        GenericData.Record.class,
                        AvroKryoSerializerUtils.AvroGenericRecordSerializer.class);
    }

    /** Opens the gate in a harness whose metrics the returned group captures. */
    private CapturingTaskMetricGroup openWithMetrics(Object... rules) throws Exception {
        CapturingTaskMetricGroup metrics = new CapturingTaskMetricGroup();
        environment = new MockEnvironmentBuilder().setMetricGroup(metrics).build();
        harness =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(function(rules)), environment);
        harness.setup();
        harness.open();
        copyAvroRecords();
        return metrics;
    }

    private static SluiceRecord record(GenericRecord value) {
        return SluiceRecord.of(null, value, NOW);
    }

    private void process(SluiceRecord... records) throws Exception {
        for (SluiceRecord r : records) {
            harness.processElement(r, r.timestamp());
        }
    }

    private List<SluiceRecord> passed() {
        return harness.extractOutputValues();
    }

    private List<DeadLetter> deadLetters() {
        Queue<StreamRecord<DeadLetter>> side = harness.getSideOutput(DeadLetters.TAG);
        List<DeadLetter> out = new ArrayList<>();
        if (side != null) {
            side.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private List<String> deadLetterMessages() {
        List<String> messages = new ArrayList<>();
        for (DeadLetter d : deadLetters()) {
            assertThat(d.errorClass).isEqualTo(VIOLATION);
            assertThat(d.processorId).isEqualTo("gate");
            messages.add(d.errorMessage);
        }
        return messages;
    }

    @Test
    void testNotNullPassesValuesAndDeadLettersNull() throws Exception {
        open(rule("rule", "not-null", "field", "email"));
        SluiceRecord good = record(order());
        SluiceRecord bad = record(with(order(), "email", null));

        process(good, bad);
        assertThat(passed()).containsExactly(good);
        assertThat(deadLetterMessages())
                .containsExactly("rule 0 (not-null) failed: field 'email' is null");
    }

    @Test
    void testRangeOnADoubleFieldIsInclusiveAndNullOrNaNFails() throws Exception {
        open(rule("rule", "range", "field", "amount", "min", 0, "max", 100));
        SluiceRecord atMin = record(with(order(), "amount", 0.0));
        SluiceRecord atMax = record(with(order(), "amount", 100.0));

        process(
                atMin,
                atMax,
                record(with(order(), "amount", -5.0)),
                record(with(order(), "amount", 100.5)),
                record(with(order(), "amount", null)),
                record(with(order(), "amount", Double.NaN)));

        assertThat(passed()).containsExactly(atMin, atMax);
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 0 (range) failed: field 'amount' = -5.0 is below min 0",
                        "rule 0 (range) failed: field 'amount' = 100.5 is above max 100",
                        "rule 0 (range) failed: field 'amount' is null",
                        "rule 0 (range) failed: field 'amount' = NaN is not a number");
    }

    @Test
    void testRangeOnAnIntFieldComparesExactlyWithFractionalBounds() throws Exception {
        open(rule("rule", "range", "field", "qty", "min", 0.5, "max", 3.9));
        SluiceRecord one = record(with(order(), "qty", 1));
        SluiceRecord three = record(with(order(), "qty", 3));

        process(one, three, record(with(order(), "qty", 0)), record(with(order(), "qty", 4)));

        assertThat(passed()).containsExactly(one, three);
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 0 (range) failed: field 'qty' = 0 is below min 0.5",
                        "rule 0 (range) failed: field 'qty' = 4 is above max 3.9");
    }

    @Test
    void testRangeWithOnlyOneBound() throws Exception {
        open(rule("rule", "range", "field", "id", "max", 10));
        SluiceRecord low = record(with(order(), "id", Long.MIN_VALUE));

        process(low, record(with(order(), "id", 11L)));

        assertThat(passed()).containsExactly(low);
        assertThat(deadLetterMessages())
                .containsExactly("rule 0 (range) failed: field 'id' = 11 is above max 10");
    }

    @Test
    void testRegexMustMatchTheWholeValue() throws Exception {
        open(rule("rule", "regex", "field", "email", "pattern", "[^@]+@[^@]+\\.[a-z]+"));
        SluiceRecord good = record(order());

        process(
                good,
                record(with(order(), "email", "bob@example.com!")),
                record(with(order(), "email", null)));

        assertThat(passed()).containsExactly(good);
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 0 (regex) failed: field 'email' = \"bob@example.com!\" does not"
                                + " match [^@]+@[^@]+\\.[a-z]+",
                        "rule 0 (regex) failed: field 'email' is null");
    }

    @Test
    void testRegexMatchesNonAsciiUtf8Strings() throws Exception {
        open(rule("rule", "regex", "field", "customer", "pattern", "\\p{L}{3}"));
        SluiceRecord zoe = record(with(order(), "customer", "Zoë"));

        process(zoe, record(with(order(), "customer", "Zoë!")));

        assertThat(passed()).containsExactly(zoe);
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 0 (regex) failed: field 'customer' = \"Zoë!\" does not match"
                                + " \\p{L}{3}");
    }

    @Test
    void testEnumOnAnEnumField() throws Exception {
        open(rule("rule", "enum", "field", "status", "values", List.of("NEW", "PAID")));
        SluiceRecord good = record(order());
        GenericData.EnumSymbol shipped =
                new GenericData.EnumSymbol(ORDER.getField("status").schema(), "SHIPPED");

        process(good, record(with(order(), "status", shipped)));

        assertThat(passed()).containsExactly(good);
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 0 (enum) failed: field 'status' = \"SHIPPED\" is not one of [NEW,"
                                + " PAID]");
    }

    @Test
    void testEnumOnAStringFieldAndNullFails() throws Exception {
        open(rule("rule", "enum", "field", "email", "values", List.of("bob@example.com")));
        SluiceRecord good = record(order());

        process(
                good,
                record(with(order(), "email", "carol@example.com")),
                record(with(order(), "email", null)));

        assertThat(passed()).containsExactly(good);
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 0 (enum) failed: field 'email' = \"carol@example.com\" is not one of"
                                + " [bob@example.com]",
                        "rule 0 (enum) failed: field 'email' is null");
    }

    @Test
    void testMaxBytesUsesTheSourceValueLength() throws Exception {
        open(rule("rule", "max-bytes", "value", 16));
        byte[] key = "k1".getBytes(StandardCharsets.UTF_8);
        SluiceRecord small =
                SluiceRecord.of(key, order(), NOW, "orders.v1", 0, 41L, key, new byte[16]);
        byte[] big = new byte[20];
        SluiceRecord large = SluiceRecord.of(key, order(), NOW, "orders.v1", 2, 42L, key, big);

        process(small, large);

        assertThat(passed()).containsExactly(small);
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 0 (max-bytes) failed: source value is 20 bytes, over max 16");
        DeadLetter dl = deadLetters().get(0);
        assertThat(dl.originalKey).isEqualTo(key);
        assertThat(dl.originalValue).isEqualTo(big);
        assertThat(dl.sourceTopic).isEqualTo("orders.v1");
        assertThat(dl.sourcePartition).isEqualTo(2);
        assertThat(dl.sourceOffset).isEqualTo(42L);
    }

    @Test
    void testMaxBytesWithoutSourceBytesUsesTheAvroBinarySize() throws Exception {
        GenericRecord value = order();
        int size = avroBinarySize(value);
        open(
                rule("rule", "max-bytes", "value", size, "action", "alert"),
                rule("rule", "max-bytes", "value", size - 1));

        process(record(value));

        assertThat(passed()).isEmpty();
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 1 (max-bytes) failed: encoded value is "
                                + size
                                + " bytes, over max "
                                + (size - 1));
    }

    @Test
    void testFreshnessOfAFieldAgainstTheClock() throws Exception {
        open(rule("rule", "freshness", "field", "updated_at", "maxLagMs", 60_000));
        SluiceRecord edge = record(with(order(), "updated_at", NOW - 60_000));
        SluiceRecord future = record(with(order(), "updated_at", NOW + 5_000));

        process(edge, future, record(with(order(), "updated_at", NOW - 60_001)));

        assertThat(passed()).containsExactly(edge, future);
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 0 (freshness) failed: field 'updated_at' = 1699999939999 is 60001 ms"
                                + " old, over maxLagMs 60000");
    }

    @Test
    void testFreshnessWithoutFieldUsesTheRecordTimestamp() throws Exception {
        open(rule("rule", "freshness", "maxLagMs", 1_000));
        SluiceRecord fresh = SluiceRecord.of(null, order(), NOW - 1_000);

        process(fresh, SluiceRecord.of(null, order(), NOW - 1_001));

        assertThat(passed()).containsExactly(fresh);
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 0 (freshness) failed: record timestamp 1699999998999 is 1001 ms old,"
                                + " over maxLagMs 1000");
    }

    @Test
    void testSchemaRuleDeadLettersAValueThatDoesNotConform() throws Exception {
        open(rule("rule", "schema"));
        SluiceRecord good = record(order());

        process(good, record(with(order(), "amount", new Utf8("12"))));

        assertThat(passed()).containsExactly(good);
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 0 (schema) failed: field 'amount' = \"12\" is not a valid nullable"
                                + " double");
    }

    @Test
    void testAlertRulesCountFailuresAndLetRecordsThrough() throws Exception {
        CapturingTaskMetricGroup metrics =
                openWithMetrics(
                        rule("rule", "not-null", "field", "email", "action", "alert"),
                        rule("rule", "range", "field", "amount", "min", 0, "action", "alert"));
        SluiceRecord noEmail = record(with(order(), "email", null));
        SluiceRecord both = record(with(with(order(), "email", null), "amount", -1.0));
        SluiceRecord good = record(order());

        process(noEmail, both, good);

        assertThat(passed()).containsExactly(noEmail, both, good);
        assertThat(deadLetters()).isEmpty();
        assertThat(metrics.count("qualityGate", "rule_0_not_null_failed")).isEqualTo(2);
        assertThat(metrics.count("qualityGate", "rule_1_range_failed")).isEqualTo(1);
        assertThat(metrics.count("sluiceDeadLetters")).isZero();
    }

    @Test
    void testTheFirstFailingDeadLetterRuleWinsAndLaterRulesAreNotChecked() throws Exception {
        CapturingTaskMetricGroup metrics =
                openWithMetrics(
                        rule(
                                "rule",
                                "regex",
                                "field",
                                "customer",
                                "pattern",
                                "[a-z]+",
                                "action",
                                "alert"),
                        rule("rule", "range", "field", "amount", "min", 0),
                        rule("rule", "not-null", "field", "email"));

        process(
                record(with(with(with(order(), "customer", "Bob"), "amount", -5.0), "email", null)),
                record(with(order(), "email", null)));

        assertThat(passed()).isEmpty();
        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 1 (range) failed: field 'amount' = -5.0 is below min 0",
                        "rule 2 (not-null) failed: field 'email' is null");
        assertThat(metrics.count("qualityGate", "rule_0_regex_failed")).isEqualTo(1);
        assertThat(metrics.count("qualityGate", "rule_1_range_failed")).isEqualTo(1);
        assertThat(metrics.count("qualityGate", "rule_2_not_null_failed")).isEqualTo(1);
        assertThat(metrics.count("sluiceDeadLetters")).isEqualTo(2);
    }

    @Test
    void testTombstonesPassUnchecked() throws Exception {
        open(rule("rule", "not-null", "field", "email"), rule("rule", "schema"));
        SluiceRecord tombstone = SluiceRecord.of(new byte[] {1}, null, NOW);

        process(tombstone);

        assertThat(passed()).containsExactly(tombstone);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void testLongValuesAreCutInMessages() throws Exception {
        open(rule("rule", "regex", "field", "customer", "pattern", "[a-z]{1,10}"));

        process(record(with(order(), "customer", "x".repeat(150))));

        assertThat(deadLetterMessages())
                .containsExactly(
                        "rule 0 (regex) failed: field 'customer' = \""
                                + "x".repeat(100)
                                + "...(150 chars)\" does not match [a-z]{1,10}");
    }

    @Test
    void testTheFunctionSurvivesJavaSerializationWithTheSystemClock() throws Exception {
        QualityGateFunction shipped =
                InstantiationUtil.clone(
                        new QualityGateFunction(
                                "gate",
                                GateFixtures.rules(
                                        rule("rule", "regex", "field", "email", "pattern", ".+@.+"),
                                        rule("rule", "freshness", "maxLagMs", 60_000)),
                                ORDER.toString()));
        harness = ProcessFunctionTestHarnesses.forProcessFunction(shipped);
        copyAvroRecords();
        long now = System.currentTimeMillis();
        SluiceRecord fresh = SluiceRecord.of(null, order(), now);

        process(fresh, SluiceRecord.of(null, order(), now - 3_600_000));

        assertThat(passed()).containsExactly(fresh);
        assertThat(deadLetterMessages())
                .singleElement()
                .asString()
                .startsWith("rule 1 (freshness) failed: record timestamp " + (now - 3_600_000));
    }

    private static int avroBinarySize(GenericRecord value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(ORDER).write(value, encoder);
        encoder.flush();
        return bytes.size();
    }
}
