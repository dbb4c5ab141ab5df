package dev.sluice.processors.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Filter conditions: a record is kept only when the condition is TRUE. */
class CompiledPredicateTest {

    private static final String CONDITION = "status = 'PAID' AND amount >= 10";

    @Test
    void testKeepsOnlyRecordsWhereConditionIsTrue() {
        CompiledPredicate p = ExpressionCompiler.compilePredicate(CONDITION, TestRecords.ORDER);

        assertThat(p.test(TestRecords.order(1, "ann", 12, "PAID"))).isTrue();
        assertThat(p.test(TestRecords.order(2, "bob", 10, "PAID"))).isTrue();
        assertThat(p.test(TestRecords.order(3, "cy", 9, "PAID"))).isFalse();
        assertThat(p.test(TestRecords.order(4, "di", 12, "NEW"))).isFalse();
    }

    @Test
    void testNullConditionDropsTheRecord() {
        CompiledPredicate p = ExpressionCompiler.compilePredicate(CONDITION, TestRecords.ORDER);
        GenericRecord nullAmount = TestRecords.order(1, "ann", null, "PAID");

        // PAID = 'PAID' is TRUE, NULL >= 10 is NULL: TRUE AND NULL is NULL -> dropped
        assertThat(p.asExpression().evaluate(nullAmount)).isNull();
        assertThat(p.test(nullAmount)).isFalse();
        // NOT NULL is NULL: also dropped
        assertThat(
                        ExpressionCompiler.compilePredicate("NOT (amount >= 10)", TestRecords.ORDER)
                                .test(nullAmount))
                .isFalse();
    }

    @Test
    void testNullAndFalseIsFalseNullOrTrueIsTrue() {
        GenericRecord nullAmount = TestRecords.order(1, "ann", null, "NEW");

        CompiledPredicate andFalse =
                ExpressionCompiler.compilePredicate(
                        "amount > 1 AND status = 'PAID'", TestRecords.ORDER);
        assertThat(andFalse.asExpression().evaluate(nullAmount)).isEqualTo(false);
        assertThat(andFalse.test(nullAmount)).isFalse();

        CompiledPredicate orTrue =
                ExpressionCompiler.compilePredicate(
                        "amount > 1 OR status = 'NEW'", TestRecords.ORDER);
        assertThat(orTrue.test(nullAmount)).isTrue();

        CompiledPredicate isNull =
                ExpressionCompiler.compilePredicate("amount IS NULL", TestRecords.ORDER);
        assertThat(isNull.test(nullAmount)).isTrue();
    }

    @Test
    void testBooleanFieldAsCondition() {
        GenericRecord record = TestRecords.wide();

        assertThat(ExpressionCompiler.compilePredicate("b", TestRecords.WIDE).test(record))
                .isTrue();
        assertThat(ExpressionCompiler.compilePredicate("nb", TestRecords.WIDE).test(record))
                .isFalse();
        assertThat(ExpressionCompiler.compilePredicate("NOT b", TestRecords.WIDE).test(record))
                .isFalse();
    }

    @Test
    void testNonBooleanConditionIsTypeError() {
        ExpressionException e =
                catchThrowableOfType(
                        ExpressionException.class,
                        () -> ExpressionCompiler.compilePredicate("customer", TestRecords.ORDER));

        assertThat(e.kind()).isEqualTo(ExpressionException.Kind.TYPE);
        assertThat(e.message())
                .isEqualTo("condition must be a boolean expression, got STRING: \"customer\"");
        assertThat(
                        catchThrowableOfType(
                                        ExpressionException.class,
                                        () ->
                                                ExpressionCompiler.compile(
                                                                "amount + 1", TestRecords.ORDER)
                                                        .asPredicate())
                                .message())
                .isEqualTo("condition must be a boolean expression, got INT: \"amount + 1\"");
        assertThat(
                        catchThrowableOfType(
                                        ExpressionException.class,
                                        () ->
                                                ExpressionCompiler.compilePredicate(
                                                        "NULL", TestRecords.ORDER))
                                .message())
                .isEqualTo("condition must be a boolean expression, got NULL: \"NULL\"");
    }

    @Test
    void testEvaluationErrorPropagatesFromTest() {
        CompiledPredicate p =
                ExpressionCompiler.compilePredicate("100 / amount > 1", TestRecords.ORDER);

        ExpressionEvaluationException e =
                catchThrowableOfType(
                        ExpressionEvaluationException.class,
                        () -> p.test(TestRecords.order(1, "ann", 0, "NEW")));

        assertThat(e.getMessage())
                .isEqualTo("division by zero: \"100 / amount\" in expression \"100 / amount > 1\"");
    }

    @Test
    void testAccessors() {
        CompiledPredicate p = ExpressionCompiler.compilePredicate(CONDITION, TestRecords.ORDER);

        assertThat(p.expression()).isEqualTo(CONDITION);
        assertThat(p.inputSchema()).isSameAs(TestRecords.ORDER);
        assertThat(p.referencedFields()).containsExactly("status", "amount");
    }

    @Test
    void testJavaSerializationRecompiles() throws Exception {
        CompiledPredicate p = ExpressionCompiler.compilePredicate(CONDITION, TestRecords.ORDER);

        CompiledPredicate copy = roundTrip(p);

        assertThat(copy).isNotSameAs(p);
        assertThat(copy.expression()).isEqualTo(CONDITION);
        assertThat(copy.inputSchema()).isEqualTo(TestRecords.ORDER);
        assertThat(copy.test(TestRecords.order(1, "ann", 12, "PAID"))).isTrue();
        assertThat(copy.test(TestRecords.order(1, "ann", 12, "NEW"))).isFalse();
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
