package dev.sluice.processors.gate;

import static dev.sluice.processors.gate.GateFixtures.INPUT;
import static dev.sluice.processors.gate.GateFixtures.ORDER;
import static dev.sluice.processors.gate.GateFixtures.ORDER_FIELDS;
import static dev.sluice.processors.gate.GateFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.processors.gate.GateFixtures.TestContext;
import dev.sluice.processors.gate.QualityRule.Action;
import dev.sluice.processors.gate.QualityRule.Kind;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.ProcessorFactory.PlannedProcessor;
import dev.sluice.sdk.factory.TranslationContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** Planning of {@code quality-gate}: every config error with its exact pointer and message. */
class QualityGateProcessorFactoryTest {

    private static final String KINDS =
            "not-null, range, regex, enum, max-bytes, freshness, schema";

    private final QualityGateProcessorFactory factory = new QualityGateProcessorFactory();

    private static Map<String, Object> config(Object... rules) {
        return Map.of("rules", List.of(rules));
    }

    private PlannedProcessor plan(Map<String, Object> config) {
        return factory.plan(new TestContext(config, List.of(INPUT)));
    }

    private void assertRejected(Map<String, Object> config, String pointer, String message) {
        ConfigValidationException e =
                catchThrowableOfType(ConfigValidationException.class, () -> plan(config));
        assertThat(e).as("expected a ConfigValidationException").isNotNull();
        assertThat(e.pointer()).isEqualTo(pointer);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    /** A config whose rule 1 is {@code rule} after a valid rule 0. */
    private static Map<String, Object> second(Map<String, Object> rule) {
        return config(rule("rule", "not-null", "field", "id"), rule);
    }

    @Test
    void testIdentifierAndOptions() {
        assertThat(factory.identifier()).isEqualTo("quality-gate");
        assertThat(factory.requiredOptions()).containsExactly(QualityGateProcessorFactory.RULES);
        assertThat(factory.optionalOptions()).isEmpty();
    }

    @Test
    void testValidRulesPlanToTheInputSchemaKindAndIdentityLineage() {
        StreamDescriptor changelog = new StreamDescriptor("orders", ORDER, StreamKind.CHANGELOG);
        PlannedProcessor planned =
                factory.plan(
                        new TestContext(
                                config(
                                        rule("rule", "not-null", "field", "customer"),
                                        rule("rule", "max-bytes", "value", 1048576)),
                                List.of(changelog)));

        assertThat(planned.outputSchema()).isSameAs(ORDER);
        assertThat(planned.outputKind()).isEqualTo(StreamKind.CHANGELOG);
        assertThat(planned.lineage())
                .containsExactly(
                        Map.entry("id", Set.of("orders.id")),
                        Map.entry("customer", Set.of("orders.customer")),
                        Map.entry("email", Set.of("orders.email")),
                        Map.entry("amount", Set.of("orders.amount")),
                        Map.entry("qty", Set.of("orders.qty")),
                        Map.entry("status", Set.of("orders.status")),
                        Map.entry("updated_at", Set.of("orders.updated_at")),
                        Map.entry("created_us", Set.of("orders.created_us")),
                        Map.entry("tags", Set.of("orders.tags")));
    }

    @Test
    void testTranslateAddsOneNamedOperatorAndRoutesItsDeadLetters() {
        PlannedProcessor planned = plan(config(rule("rule", "not-null", "field", "email")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TypeInformation<SluiceRecord> type = TypeInformation.of(SluiceRecord.class);
        DataStream<SluiceRecord> in =
                env.fromSequence(0, 0).map(x -> (SluiceRecord) null).returns(type);
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();

        DataStream<SluiceRecord> out =
                planned.translate(List.of(in), translationContext(type, deadLetters));

        assertThat(out.getTransformation().getUid()).isEqualTo("sluice/shop/gate/quality-gate");
        assertThat(out.getTransformation().getName()).isEqualTo("gate: quality-gate");
        assertThat(out.getTransformation().getParallelism()).isEqualTo(2);
        assertThat(out.getType()).isSameAs(type);
        assertThat(deadLetters).hasSize(1);
    }

    private static TranslationContext translationContext(
            TypeInformation<SluiceRecord> type, List<DataStream<DeadLetter>> deadLetters) {
        return new TranslationContext() {
            @Override
            public String uid(String suffix) {
                return "sluice/shop/gate/" + suffix;
            }

            @Override
            public String operatorName(String suffix) {
                return "gate: " + suffix;
            }

            @Override
            public int parallelism() {
                return 2;
            }

            @Override
            public TypeInformation<SluiceRecord> recordType(org.apache.avro.Schema schema) {
                return type;
            }

            @Override
            public void addDeadLetters(DataStream<DeadLetter> stream) {
                deadLetters.add(stream);
            }

            @Override
            public String transactionalIdPrefix() {
                return "sluice-shop-gate";
            }

            @Override
            public String consumerGroupId() {
                return "sluice-shop-gate";
            }
        };
    }

    @Test
    void testEveryRuleKindParsesWithItsArgumentsAndDefaultAction() {
        List<QualityRule> rules =
                GateFixtures.rules(
                        rule("rule", "not-null", "field", "tags"),
                        rule("rule", "range", "field", "amount", "min", 0, "max", 99.5),
                        rule("rule", "regex", "field", "email", "pattern", ".+@.+"),
                        rule("rule", "enum", "field", "status", "values", List.of("NEW")),
                        rule("rule", "max-bytes", "value", 1024, "action", "alert"),
                        rule("rule", "freshness", "field", "updated_at", "maxLagMs", 60000L),
                        rule("rule", "freshness", "maxLagMs", 5),
                        rule("rule", "schema", "action", "dead-letter"));

        assertThat(rules)
                .containsExactly(
                        QualityRule.notNull(0, Action.DEAD_LETTER, "tags"),
                        QualityRule.range(
                                1,
                                Action.DEAD_LETTER,
                                "amount",
                                BigDecimal.ZERO,
                                new BigDecimal("99.5")),
                        QualityRule.regex(2, Action.DEAD_LETTER, "email", ".+@.+"),
                        QualityRule.oneOf(3, Action.DEAD_LETTER, "status", List.of("NEW")),
                        QualityRule.maxBytes(4, Action.ALERT, 1024),
                        QualityRule.freshness(5, Action.DEAD_LETTER, "updated_at", 60000L),
                        QualityRule.freshness(6, Action.DEAD_LETTER, null, 5L),
                        QualityRule.schema(7, Action.DEAD_LETTER));
    }

    @Test
    void testMetricNamesUseUnderscores() {
        List<QualityRule> rules =
                GateFixtures.rules(
                        rule("rule", "not-null", "field", "id"),
                        rule("rule", "max-bytes", "value", 10),
                        rule("rule", "range", "field", "qty", "max", 3));

        assertThat(rules)
                .extracting(QualityRule::metricName)
                .containsExactly(
                        "rule_0_not_null_failed", "rule_1_max_bytes_failed", "rule_2_range_failed");
    }

    @Test
    void testKindsAreListedInDocumentationOrder() {
        assertThat(Kind.ids()).isEqualTo(KINDS);
    }

    @Test
    void testMissingRulesIsRefused() {
        ConfigValidationException e =
                catchThrowableOfType(
                        ConfigValidationException.class,
                        () -> new TestContext(Map.of(), List.of(INPUT)));

        assertThat(e.pointer()).isEqualTo("/processors/0/config/rules");
        assertThat(e.getMessage())
                .isEqualTo(
                        "missing required key 'rules' in /processors/0/config (quality-gate: an"
                                + " array of rule objects; "
                                + QualityGateProcessorFactory.RULES.description()
                                + ")");
    }

    @Test
    void testRulesThatAreNotAnArrayAreRefused() {
        ConfigValidationException e =
                catchThrowableOfType(
                        ConfigValidationException.class,
                        () -> new TestContext(Map.of("rules", "not-null"), List.of(INPUT)));

        assertThat(e.pointer()).isEqualTo("/processors/0/config/rules");
        assertThat(e.getMessage())
                .isEqualTo(
                        "/processors/0/config/rules: expected an array of rule objects, got"
                                + " \"not-null\"");
    }

    @Test
    void testEmptyRulesAreRefused() {
        assertRejected(
                config(),
                "/processors/0/config/rules",
                "/processors/0/config/rules: name at least one rule; rule kinds: " + KINDS);
    }

    @Test
    void testARuleThatIsNotAnObjectIsRefusedAtItsIndex() {
        assertRejected(
                config(rule("rule", "not-null", "field", "id"), "not-null"),
                "/processors/0/config/rules/1",
                "/processors/0/config/rules/1: expected a rule object such as {\"rule\":"
                        + " \"not-null\", \"field\": \"...\"}, got \"not-null\"");
    }

    @Test
    void testARuleWithoutKindIsRefused() {
        assertRejected(
                second(rule("field", "id")),
                "/processors/0/config/rules/1/rule",
                "missing required key 'rule' in /processors/0/config/rules/1; one of: " + KINDS);
    }

    @Test
    void testAnUnknownRuleKindListsTheKinds() {
        assertRejected(
                second(rule("rule", "notnull", "field", "id")),
                "/processors/0/config/rules/1/rule",
                "unknown rule \"notnull\" at /processors/0/config/rules/1/rule; allowed rules: "
                        + KINDS);
        assertRejected(
                second(rule("rule", 7)),
                "/processors/0/config/rules/1/rule",
                "unknown rule 7 at /processors/0/config/rules/1/rule; allowed rules: " + KINDS);
    }

    @Test
    void testAnUnknownKeyListsTheKeysOfThatRuleKind() {
        assertRejected(
                second(rule("rule", "regex", "field", "email", "patern", "a+")),
                "/processors/0/config/rules/1/patern",
                "unknown key 'patern' at /processors/0/config/rules/1/patern; allowed keys for a"
                        + " 'regex' rule: action, field, pattern, rule");
    }

    @Test
    void testRulesWithoutFieldRefuseOne() {
        assertRejected(
                second(rule("rule", "schema", "field", "id")),
                "/processors/0/config/rules/1/field",
                "unknown key 'field' at /processors/0/config/rules/1/field; allowed keys for a"
                        + " 'schema' rule: action, rule");
        assertRejected(
                second(rule("rule", "max-bytes", "field", "id", "value", 10)),
                "/processors/0/config/rules/1/field",
                "unknown key 'field' at /processors/0/config/rules/1/field; allowed keys for a"
                        + " 'max-bytes' rule: action, rule, value");
    }

    @Test
    void testAMissingFieldListsTheInputFields() {
        assertRejected(
                second(rule("rule", "range", "min", 0)),
                "/processors/0/config/rules/1/field",
                "missing required key 'field' in /processors/0/config/rules/1 ('range' rule: the"
                        + " field to check; fields of input 'orders': "
                        + ORDER_FIELDS
                        + ")");
    }

    @Test
    void testAFieldThatIsNotAStringIsRefused() {
        assertRejected(
                second(rule("rule", "not-null", "field", 3)),
                "/processors/0/config/rules/1/field",
                "/processors/0/config/rules/1/field: expected a field name (a string), got 3");
    }

    @Test
    void testAnUnknownFieldListsTheInputFields() {
        assertRejected(
                second(rule("rule", "not-null", "field", "amout")),
                "/processors/0/config/rules/1/field",
                "unknown field 'amout' at /processors/0/config/rules/1/field; fields of input"
                        + " 'orders': "
                        + ORDER_FIELDS);
    }

    @Test
    void testRangeNeedsANumericField() {
        assertRejected(
                second(rule("rule", "range", "field", "customer", "min", 0)),
                "/processors/0/config/rules/1/field",
                "field 'customer' at /processors/0/config/rules/1/field has type string; a"
                        + " 'range' rule needs a field of type int, long, float or double");
    }

    @Test
    void testRegexNeedsAStringField() {
        assertRejected(
                second(rule("rule", "regex", "field", "amount", "pattern", "\\d+")),
                "/processors/0/config/rules/1/field",
                "field 'amount' at /processors/0/config/rules/1/field has type nullable double;"
                        + " a 'regex' rule needs a field of type string");
    }

    @Test
    void testEnumNeedsAStringOrEnumField() {
        assertRejected(
                second(rule("rule", "enum", "field", "qty", "values", List.of("1"))),
                "/processors/0/config/rules/1/field",
                "field 'qty' at /processors/0/config/rules/1/field has type int; an 'enum' rule"
                        + " needs a field of type string or enum");
    }

    @Test
    void testFreshnessNeedsAMillisecondTimestampField() {
        assertRejected(
                second(rule("rule", "freshness", "field", "created_us", "maxLagMs", 1000)),
                "/processors/0/config/rules/1/field",
                "field 'created_us' at /processors/0/config/rules/1/field has type"
                        + " timestamp-micros (long); a 'freshness' rule needs a field of type long"
                        + " or timestamp-millis (epoch milliseconds)");
        assertRejected(
                second(rule("rule", "freshness", "field", "status", "maxLagMs", 1000)),
                "/processors/0/config/rules/1/field",
                "field 'status' at /processors/0/config/rules/1/field has type enum test.Status;"
                        + " a 'freshness' rule needs a field of type long or timestamp-millis"
                        + " (epoch milliseconds)");
    }

    @Test
    void testRangeNeedsABound() {
        assertRejected(
                second(rule("rule", "range", "field", "qty")),
                "/processors/0/config/rules/1/min",
                "missing key 'min' or 'max' in /processors/0/config/rules/1 ('range' rule: at"
                        + " least one inclusive bound, a number)");
    }

    @Test
    void testRangeBoundsMustBeNumbers() {
        assertRejected(
                second(rule("rule", "range", "field", "qty", "min", "0")),
                "/processors/0/config/rules/1/min",
                "/processors/0/config/rules/1/min: expected a number, got \"0\"");
        assertRejected(
                second(rule("rule", "range", "field", "qty", "max", true)),
                "/processors/0/config/rules/1/max",
                "/processors/0/config/rules/1/max: expected a number, got true");
    }

    @Test
    void testRangeMaxBelowMinIsRefused() {
        assertRejected(
                second(rule("rule", "range", "field", "amount", "min", 10, "max", 1.5)),
                "/processors/0/config/rules/1/max",
                "/processors/0/config/rules/1/max: max 1.5 is below min 10");
    }

    @Test
    void testRegexNeedsAPattern() {
        assertRejected(
                second(rule("rule", "regex", "field", "email")),
                "/processors/0/config/rules/1/pattern",
                "missing required key 'pattern' in /processors/0/config/rules/1 ('regex' rule: a"
                        + " Java regular expression the whole value must match)");
        assertRejected(
                second(rule("rule", "regex", "field", "email", "pattern", List.of("a"))),
                "/processors/0/config/rules/1/pattern",
                "/processors/0/config/rules/1/pattern: expected a string, got [a]");
    }

    @Test
    void testAnInvalidPatternIsRefusedWithTheRegexError() {
        assertRejected(
                second(rule("rule", "regex", "field", "email", "pattern", "(ab")),
                "/processors/0/config/rules/1/pattern",
                "/processors/0/config/rules/1/pattern: invalid regular expression: Unclosed group"
                        + " near index 3");
    }

    @Test
    void testEnumNeedsValues() {
        assertRejected(
                second(rule("rule", "enum", "field", "customer")),
                "/processors/0/config/rules/1/values",
                "missing required key 'values' in /processors/0/config/rules/1 ('enum' rule: the"
                        + " allowed values, an array of strings)");
        assertRejected(
                second(rule("rule", "enum", "field", "customer", "values", List.of())),
                "/processors/0/config/rules/1/values",
                "/processors/0/config/rules/1/values: expected a non-empty array of strings, got"
                        + " []");
        assertRejected(
                second(rule("rule", "enum", "field", "customer", "values", List.of("a", 1))),
                "/processors/0/config/rules/1/values",
                "/processors/0/config/rules/1/values: expected a non-empty array of strings, got"
                        + " [a, 1]");
    }

    @Test
    void testEnumValuesOfAnEnumFieldMustBeItsSymbols() {
        assertRejected(
                second(rule("rule", "enum", "field", "status", "values", List.of("NEW", "LOST"))),
                "/processors/0/config/rules/1/values/1",
                "/processors/0/config/rules/1/values/1: 'LOST' is not a symbol of enum"
                        + " test.Status (field 'status'): NEW, PAID, SHIPPED");
    }

    @Test
    void testMaxBytesNeedsAPositiveIntegerValue() {
        assertRejected(
                second(rule("rule", "max-bytes")),
                "/processors/0/config/rules/1/value",
                "missing required key 'value' in /processors/0/config/rules/1 ('max-bytes' rule:"
                        + " the largest allowed record size in bytes)");
        assertRejected(
                second(rule("rule", "max-bytes", "value", 0)),
                "/processors/0/config/rules/1/value",
                "/processors/0/config/rules/1/value: expected a positive integer (bytes, at most"
                        + " 2147483647), got 0");
        assertRejected(
                second(rule("rule", "max-bytes", "value", "1MB")),
                "/processors/0/config/rules/1/value",
                "/processors/0/config/rules/1/value: expected a positive integer (bytes, at most"
                        + " 2147483647), got \"1MB\"");
    }

    @Test
    void testFreshnessNeedsAPositiveMaxLag() {
        assertRejected(
                second(rule("rule", "freshness")),
                "/processors/0/config/rules/1/maxLagMs",
                "missing required key 'maxLagMs' in /processors/0/config/rules/1 ('freshness'"
                        + " rule: how old, in milliseconds, a record's event time may be)");
        assertRejected(
                second(rule("rule", "freshness", "maxLagMs", "PT5S")),
                "/processors/0/config/rules/1/maxLagMs",
                "/processors/0/config/rules/1/maxLagMs: expected a positive integer"
                        + " (milliseconds), got \"PT5S\"");
        assertRejected(
                second(rule("rule", "freshness", "maxLagMs", -5)),
                "/processors/0/config/rules/1/maxLagMs",
                "/processors/0/config/rules/1/maxLagMs: expected a positive integer"
                        + " (milliseconds), got -5");
    }

    @Test
    void testAnUnknownActionIsRefused() {
        assertRejected(
                second(rule("rule", "not-null", "field", "id", "action", "drop")),
                "/processors/0/config/rules/1/action",
                "/processors/0/config/rules/1/action: expected one of dead-letter, alert, got"
                        + " \"drop\"");
    }

    @Test
    void testTheGateReadsExactlyOneInput() {
        ConfigValidationException e =
                catchThrowableOfType(
                        ConfigValidationException.class,
                        () ->
                                factory.plan(
                                        new TestContext(
                                                config(rule("rule", "schema")),
                                                List.of(INPUT, INPUT))));

        assertThat(e.pointer()).isEqualTo("/processors/0/inputs");
        assertThat(e.getMessage()).isEqualTo("processor 'gate' reads exactly one input, got 2");
    }
}
