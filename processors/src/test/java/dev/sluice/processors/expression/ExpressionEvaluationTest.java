package dev.sluice.processors.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values of each operator and function, evaluated against {@link TestRecords#wide()}. Expected
 * values are typed: {@code 8} (Integer) is not {@code 8L} (Long).
 */
class ExpressionEvaluationTest {

    private static Object eval(String expression) {
        return eval(expression, TestRecords.wide());
    }

    private static Object eval(String expression, GenericRecord record) {
        return ExpressionCompiler.compile(expression, TestRecords.WIDE).evaluate(record);
    }

    private static ExpressionEvaluationException evalError(String expression) {
        return catchThrowableOfType(ExpressionEvaluationException.class, () -> eval(expression));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource
    void testValue(String expression, Object expected) {
        assertThat(eval(expression)).isEqualTo(expected);
    }

    static Stream<Arguments> testValue() {
        return Stream.of(
                // arithmetic (i=7, l=10_000_000_000, f=1.5f, d=2.5)
                arguments("i + 1", 8),
                arguments("i - 10", -3),
                arguments("i * 3", 21),
                arguments("i / 2", 3),
                arguments("-i / 2", -3),
                arguments("i % 4", 3),
                arguments("MOD(-7, 3)", -1),
                arguments("MOD(7, -3)", 1),
                arguments("-i", -7),
                arguments("+i", 7),
                arguments("i * 1.5", 10.5),
                arguments("l + i", 10_000_000_007L),
                arguments("l / 3", 3_333_333_333L),
                arguments("f * 2", 3.0f),
                arguments("f + i", 8.5f),
                arguments("d / 2", 1.25),
                arguments("d % 2", 0.5),
                arguments("i + ni", null),
                arguments("ni / 0", null),
                // comparisons
                arguments("i = 7", true),
                arguments("i <> 7", false),
                arguments("i != 8", true),
                arguments("i < 8", true),
                arguments("i <= 7", true),
                arguments("i > 7", false),
                arguments("i >= 8", false),
                arguments("i = 7.0", true),
                arguments("l > i", true),
                arguments("f = 1.5", true),
                arguments("d > f", true),
                arguments("s = ' Hello World '", true),
                arguments("s < 'a'", true),
                arguments("'abc' < 'abd'", true),
                arguments("'ab' < 'abc'", true),
                arguments("'\uE000' < '\uD83D\uDE00'", true),
                arguments("e = 'GREEN'", true),
                arguments("e > 'BLUE'", true),
                arguments("b = TRUE", true),
                arguments("FALSE < TRUE", true),
                arguments("\"value\" = 'v'", true),
                arguments("\"Name\" = 'N'", true),
                arguments("ts > 1600000000000", true),
                arguments("ni = 1", null),
                arguments("ni <> 1", null),
                arguments("i = NULL", null),
                arguments("0.0 = -0.0", true),
                // IS ...
                arguments("ni IS NULL", true),
                arguments("ni IS NOT NULL", false),
                arguments("i IS NULL", false),
                arguments("raw IS NULL", true),
                arguments("tags IS NOT NULL", true),
                arguments("nb IS TRUE", false),
                arguments("nb IS NOT TRUE", true),
                arguments("nb IS FALSE", false),
                arguments("nb IS NOT FALSE", true),
                arguments("nb IS UNKNOWN", true),
                arguments("b IS TRUE", true),
                arguments("(i > 100) IS FALSE", true),
                arguments("ni IS DISTINCT FROM 1", true),
                arguments("ni IS NOT DISTINCT FROM NULL", true),
                arguments("i IS DISTINCT FROM 7", false),
                arguments("NULL IS NOT DISTINCT FROM NULL", true),
                // three-valued logic
                arguments("ni > 1 AND FALSE", false),
                arguments("FALSE AND ni > 1", false),
                arguments("ni > 1 AND TRUE", null),
                arguments("ni > 1 AND ni > 2", null),
                arguments("ni > 1 OR TRUE", true),
                arguments("TRUE OR ni > 1", true),
                arguments("ni > 1 OR FALSE", null),
                arguments("NOT (ni > 1)", null),
                arguments("NOT b", false),
                arguments("NULL AND FALSE", false),
                arguments("NULL OR TRUE", true),
                arguments("nb AND b", null),
                arguments("i > 1 AND i < 10 AND b", true),
                // strings
                arguments("UPPER(s)", " HELLO WORLD "),
                arguments("LOWER(s)", " hello world "),
                arguments("UPPER(e)", "GREEN"),
                arguments("UPPER(ns)", null),
                arguments("TRIM(s)", "Hello World"),
                arguments("TRIM(LEADING FROM s)", "Hello World "),
                arguments("TRIM(TRAILING ' ' FROM s)", " Hello World"),
                arguments("TRIM(BOTH 'xy' FROM 'xxhiyx')", "hi"),
                arguments("CHAR_LENGTH(s)", 13),
                arguments("CHARACTER_LENGTH('\uD83D\uDE00a')", 2),
                arguments("SUBSTRING(s FROM 2 FOR 5)", "Hello"),
                arguments("SUBSTRING(s FROM 8)", "World "),
                arguments("SUBSTRING(s, 2, 5)", "Hello"),
                arguments("SUBSTRING('hello', -3)", "llo"),
                arguments("SUBSTRING('hello', -3, 2)", "ll"),
                arguments("SUBSTRING('hello', 0, 2)", "he"),
                arguments("SUBSTRING('hello', 4, 10)", "lo"),
                arguments("SUBSTRING('hello', 10)", ""),
                arguments("SUBSTRING('hello', 2, -1)", ""),
                arguments("SUBSTRING('\uD83D\uDE00ab', 2, 1)", "a"),
                arguments("SUBSTRING(s, ni)", null),
                arguments("s || '!'", " Hello World !"),
                arguments("'a' || e || 'b'", "aGREENb"),
                arguments("'x' || ns", null),
                arguments("CONCAT('a', e, 'b')", "aGREENb"),
                arguments("CONCAT('a', ns)", null),
                arguments("CONCAT(\"value\")", "v"),
                // LIKE
                arguments("s LIKE '%Hello%'", true),
                arguments("s LIKE ' Hello_World '", true),
                arguments("s LIKE 'Hello%'", false),
                arguments("s LIKE ' Hello%'", true),
                arguments("s LIKE '%World '", true),
                arguments("s LIKE '%'", true),
                arguments("s NOT LIKE '%World'", true),
                arguments("'a.c' LIKE 'a.c'", true),
                arguments("'abc' LIKE 'a.c'", false),
                arguments("'a(b)c' LIKE 'a(_)%'", true),
                arguments("'a%b' LIKE 'a!%b' ESCAPE '!'", true),
                arguments("'axb' LIKE 'a!%b' ESCAPE '!'", false),
                arguments("'a_b' LIKE 'a\\_b' ESCAPE '\\'", true),
                arguments("ns LIKE 'a%'", null),
                arguments("s LIKE ns", null),
                arguments("'GREEN' LIKE e", true),
                arguments("'GREENER' LIKE CONCAT(e, '%')", true),
                arguments("'GRE' LIKE CONCAT(e, '%')", false),
                arguments("'ABC' LIKE 'abc'", false),
                // IN and BETWEEN
                arguments("i IN (1, 7, 9)", true),
                arguments("i IN (1, 2)", false),
                arguments("i IN (1, NULL)", null),
                arguments("i IN (7, NULL)", true),
                arguments("i NOT IN (1, 2)", true),
                arguments("i NOT IN (1, NULL)", null),
                arguments("ni IN (1, 2)", null),
                arguments("e IN ('RED', 'GREEN')", true),
                arguments("i IN (7.0, 8)", true),
                arguments("l IN (10000000000, 1)", true),
                arguments("d IN (i, 2.5)", true),
                arguments("d IN (i, nd)", null),
                arguments("s IN ('a', ns)", null),
                arguments("price IN (12.34, 1)", true),
                arguments("0.0 IN (-0.0)", true),
                arguments("i BETWEEN 1 AND 7", true),
                arguments("i BETWEEN 8 AND 10", false),
                arguments("i NOT BETWEEN 8 AND 10", true),
                arguments("i BETWEEN 10 AND 1", false),
                arguments("i BETWEEN SYMMETRIC 10 AND 1", true),
                arguments("i NOT BETWEEN SYMMETRIC 10 AND 1", false),
                arguments("ni BETWEEN 1 AND 2", null),
                arguments("i BETWEEN 1 AND ni", null),
                arguments("i BETWEEN 8 AND ni", false),
                arguments("s BETWEEN 'A' AND 'Z'", false),
                arguments("TRIM(s) BETWEEN 'A' AND 'Z'", true),
                arguments("d BETWEEN 2 AND 3", true),
                // CASE and COALESCE
                arguments("CASE WHEN i > 5 THEN 'big' ELSE 'small' END", "big"),
                arguments("CASE WHEN i > 50 THEN 'big' WHEN i > 5 THEN 'mid' END", "mid"),
                arguments("CASE WHEN i > 50 THEN 'big' END", null),
                arguments("CASE WHEN ni > 1 THEN 'x' ELSE 'y' END", "y"),
                arguments("CASE e WHEN 'RED' THEN 1 WHEN 'GREEN' THEN 2 END", 2),
                arguments("CASE i WHEN 7 THEN l ELSE 0 END", 10_000_000_000L),
                arguments("CASE WHEN b THEN 1 ELSE 2.5 END", 1.0),
                arguments("CASE WHEN b THEN NULL ELSE 1 END", null),
                arguments("COALESCE(ni, nl, 5)", 5L),
                arguments("COALESCE(ns, s)", " Hello World "),
                arguments("COALESCE(ns, ns)", null),
                arguments("COALESCE(i, 0)", 7),
                // CAST
                arguments("CAST(i AS STRING)", "7"),
                arguments("CAST(i AS VARCHAR)", "7"),
                arguments("CAST(l AS VARCHAR(5))", "10000"),
                arguments("CAST(b AS STRING)", "TRUE"),
                arguments("CAST(d AS STRING)", "2.5"),
                arguments("CAST(e AS STRING)", "GREEN"),
                arguments("CAST(price AS STRING)", "12.34"),
                arguments("CAST('42' AS INT)", 42),
                arguments("CAST(' -42 ' AS INTEGER)", -42),
                arguments("CAST('42' AS BIGINT)", 42L),
                arguments("CAST('2.5' AS DOUBLE)", 2.5),
                arguments("CAST('1e3' AS DOUBLE)", 1000.0),
                arguments("CAST('2.5' AS FLOAT)", 2.5f),
                arguments("CAST(i AS DOUBLE)", 7.0),
                arguments("CAST(f AS DOUBLE)", 1.5),
                arguments("CAST(d AS FLOAT)", 2.5f),
                arguments("CAST(d AS INT)", 2),
                arguments("CAST(-2.7 AS INT)", -2),
                arguments("CAST(l AS DOUBLE)", 1.0e10),
                arguments("CAST(i AS BIGINT)", 7L),
                arguments("CAST(price AS INT)", 12),
                arguments("CAST(price AS DOUBLE)", 12.34),
                arguments("CAST('yes' AS BOOLEAN)", true),
                arguments("CAST('FALSE' AS BOOLEAN)", false),
                arguments("CAST(1 AS BOOLEAN)", true),
                arguments("CAST(0 AS BOOLEAN)", false),
                arguments("CAST(b AS INT)", 1),
                arguments("CAST(NULL AS INT)", null),
                arguments("CAST(ni AS STRING)", null),
                // numeric functions
                arguments("ABS(-5)", 5),
                arguments("ABS(d - 10)", 7.5),
                arguments("ABS(-l)", 10_000_000_000L),
                arguments("ABS(ni)", null),
                arguments("ROUND(2.5)", 3.0),
                arguments("ROUND(-2.5)", -3.0),
                arguments("ROUND(2.345, 2)", 2.35),
                arguments("ROUND(1234, -2)", 1200),
                arguments("ROUND(1250, -2)", 1300),
                arguments("ROUND(i)", 7),
                arguments("ROUND(f)", 2.0f),
                arguments("FLOOR(-1.5)", -2.0),
                arguments("CEIL(1.2)", 2.0),
                arguments("CEILING(1.2)", 2.0),
                arguments("FLOOR(i)", 7),
                arguments("CEIL(f)", 2.0f),
                // nested fields (address = {city: Paris, zip: null})
                arguments("address.city", "Paris"),
                arguments("address.city = 'Paris'", true),
                arguments("UPPER(address.city)", "PARIS"),
                arguments("address.zip", null),
                arguments("address.zip IS NULL", true),
                arguments("address IS NOT NULL", true));
    }

    @Test
    void testDecimalArithmeticKeepsExactValues() {
        assertThat(TestRecords.decimal(eval("price + 1"), 2)).isEqualTo(new BigDecimal("13.34"));
        assertThat(TestRecords.decimal(eval("price * 2"), 2)).isEqualTo(new BigDecimal("24.68"));
        assertThat(TestRecords.decimal(eval("price / 4"), 13))
                .isEqualTo(new BigDecimal("3.0850000000000"));
        assertThat(TestRecords.decimal(eval("price - price"), 2)).isEqualTo(new BigDecimal("0.00"));
        assertThat(TestRecords.decimal(eval("-price"), 2)).isEqualTo(new BigDecimal("-12.34"));
        assertThat(TestRecords.decimal(eval("ROUND(price, 1)"), 1))
                .isEqualTo(new BigDecimal("12.3"));
        assertThat(TestRecords.decimal(eval("FLOOR(price)"), 0)).isEqualTo(new BigDecimal("12"));
        assertThat(TestRecords.decimal(eval("CEIL(price)"), 0)).isEqualTo(new BigDecimal("13"));
        assertThat(TestRecords.decimal(eval("CAST('1.005' AS DECIMAL(5, 2))"), 2))
                .isEqualTo(new BigDecimal("1.01"));
        assertThat(TestRecords.decimal(eval("CAST(i AS DECIMAL(4, 1))"), 1))
                .isEqualTo(new BigDecimal("7.0"));
        assertThat(eval("price > 12.3")).isEqualTo(true);
        assertThat(eval("price = 12.34")).isEqualTo(true);
        assertThat(eval("price > 12")).isEqualTo(true);
        assertThat(eval("price BETWEEN 12 AND 13")).isEqualTo(true);
    }

    @Test
    void testFieldReferencePassesTheRawValueThrough() {
        GenericRecord record = TestRecords.wide();

        assertThat(eval("s", record)).isSameAs(record.get("s")).isInstanceOf(Utf8.class);
        assertThat(eval("e", record)).isSameAs(record.get("e"));
        assertThat(eval("tags", record)).isSameAs(record.get("tags"));
        assertThat(eval("price", record)).isSameAs(record.get("price"));
        assertThat(eval("ni", record)).isNull();
    }

    @Test
    void testStringsMayBeUtf8OrString() {
        GenericRecord record = TestRecords.wide();
        record.put("s", "plain");
        assertThat(eval("UPPER(s)", record)).isEqualTo("PLAIN");
        record.put("s", new Utf8("utf8"));
        assertThat(eval("UPPER(s)", record)).isEqualTo("UTF8");
        assertThat(eval("s = 'utf8'", record)).isEqualTo(true);
    }

    @Test
    void testNullParentRecordMakesNestedFieldsNull() {
        GenericRecord record = TestRecords.wide();
        record.put("address", null);

        assertThat(eval("address.city", record)).isNull();
        assertThat(eval("address.city = 'Paris'", record)).isNull();
        assertThat(eval("COALESCE(address.city, 'none')", record)).isEqualTo("none");
    }

    @Test
    void testNullableFieldsWithValues() {
        GenericRecord record = TestRecords.wide();
        record.put("ni", 3);
        record.put("nb", false);
        record.put("ns", "x");

        assertThat(eval("ni * 2", record)).isEqualTo(6);
        assertThat(eval("nb IS FALSE", record)).isEqualTo(true);
        assertThat(eval("NOT nb", record)).isEqualTo(true);
        assertThat(eval("COALESCE(ns, s)", record)).isEqualTo("x");
        assertThat(eval("ni IN (1, NULL)", record)).isNull();
        assertThat(eval("ni IN (3, NULL)", record)).isEqualTo(true);
    }

    // ---- evaluation errors -----------------------------------------------------------------

    @Test
    void testDivisionByZeroThrowsNamingTheExpression() {
        ExpressionEvaluationException e = evalError("i / 0");

        assertThat(e.getMessage()).isEqualTo("division by zero in expression \"i / 0\"");
        assertThat(e.expression()).isEqualTo("i / 0");
    }

    @Test
    void testDivisionByZeroInSubexpressionQuotesIt() {
        assertThat(evalError("i / (i - 7) > 1").getMessage())
                .isEqualTo("division by zero: \"i / (i - 7)\" in expression \"i / (i - 7) > 1\"");
        assertThat(evalError("l / 0").getMessage())
                .isEqualTo("division by zero in expression \"l / 0\"");
        assertThat(evalError("d / 0").getMessage())
                .isEqualTo("division by zero in expression \"d / 0\"");
        assertThat(evalError("i % 0").getMessage())
                .isEqualTo("division by zero in expression \"i % 0\"");
        assertThat(evalError("MOD(l, 0)").getMessage())
                .isEqualTo("division by zero in expression \"MOD(l, 0)\"");
        assertThat(evalError("price / 0").getMessage())
                .isEqualTo("division by zero in expression \"price / 0\"");
    }

    @Test
    void testShortCircuitAvoidsErrorsInTheSkippedOperand() {
        assertThat(eval("i = 0 AND 1 / 0 = 1")).isEqualTo(false);
        assertThat(eval("i = 7 OR 1 / 0 = 1")).isEqualTo(true);
        assertThat(eval("CASE WHEN i = 0 THEN 1 / 0 ELSE 1 END")).isEqualTo(1);
    }

    @Test
    void testIntegerOverflowThrows() {
        assertThat(evalError("2147483647 + i").getMessage())
                .isEqualTo("INT overflow in expression \"2147483647 + i\"");
        assertThat(evalError("i * 1000000000").getMessage())
                .isEqualTo("INT overflow in expression \"i * 1000000000\"");
        assertThat(evalError("l * l").getMessage())
                .isEqualTo("BIGINT overflow in expression \"l * l\"");
        assertThat(evalError("-2147483648 / -1").getMessage())
                .isEqualTo("INT overflow in expression \"-2147483648 / -1\"");
        assertThat(evalError("ABS(-2147483648)").getMessage())
                .isEqualTo("INT overflow in expression \"ABS(-2147483648)\"");
    }

    @Test
    void testBadCastThrows() {
        assertThat(evalError("CAST(s AS INT)").getMessage())
                .isEqualTo("cannot cast ' Hello World ' to INT in expression \"CAST(s AS INT)\"");
        assertThat(evalError("CAST('1.5' AS INT)").getMessage())
                .isEqualTo("cannot cast '1.5' to INT in expression \"CAST('1.5' AS INT)\"");
        assertThat(evalError("CAST('x' AS DOUBLE) > 1").getMessage())
                .isEqualTo(
                        "cannot cast 'x' to DOUBLE: \"CAST('x' AS DOUBLE)\" in expression"
                                + " \"CAST('x' AS DOUBLE) > 1\"");
        assertThat(evalError("CAST('maybe' AS BOOLEAN)").getMessage())
                .isEqualTo(
                        "cannot cast 'maybe' to BOOLEAN in expression \"CAST('maybe' AS"
                                + " BOOLEAN)\"");
        assertThat(evalError("CAST(l AS INT)").getMessage())
                .isEqualTo(
                        "value 10000000000 is out of range for INT in expression \"CAST(l AS"
                                + " INT)\"");
        assertThat(evalError("CAST(1e20 AS BIGINT)").getMessage())
                .isEqualTo(
                        "value 1.0E20 is out of range for BIGINT in expression \"CAST(1e20 AS"
                                + " BIGINT)\"");
        assertThat(evalError("CAST(price AS DECIMAL(3, 2))").getMessage())
                .isEqualTo(
                        "DECIMAL(3, 2) overflow: 12.34 in expression \"CAST(price AS DECIMAL(3,"
                                + " 2))\"");
    }

    @Test
    void testRecordWithAnotherSchemaThrowsEvaluationError() {
        CompiledExpression e = ExpressionCompiler.compile("amount + 1", TestRecords.ORDER);

        ExpressionEvaluationException error =
                catchThrowableOfType(
                        ExpressionEvaluationException.class, () -> e.evaluate(TestRecords.wide()));

        assertThat(error.getMessage())
                .startsWith(
                        "the record does not match the schema expression \"amount + 1\" was"
                                + " compiled for");
    }

    @Test
    void testDynamicLikePatternErrorIsEvaluationError() {
        GenericRecord record = TestRecords.wide();
        record.put("ns", "a!");

        ExpressionEvaluationException e =
                catchThrowableOfType(
                        ExpressionEvaluationException.class,
                        () -> eval("s LIKE ns ESCAPE '!'", record));

        assertThat(e.getMessage())
                .isEqualTo(
                        "invalid LIKE pattern 'a!': it ends with the escape character in"
                                + " expression \"s LIKE ns ESCAPE '!'\"");
    }

    @Test
    void testEvaluatorIsReusableAcrossRecords() {
        CompiledExpression e =
                ExpressionCompiler.compile(
                        "customer || ':' || CAST(amount AS STRING)", TestRecords.ORDER);

        assertThat(e.evaluate(TestRecords.order(1, "ann", 3, "NEW"))).isEqualTo("ann:3");
        assertThat(e.evaluate(TestRecords.order(2, "bob", null, "NEW"))).isNull();
        assertThat(e.evaluate(TestRecords.order(3, "cy", 10, "PAID"))).isEqualTo("cy:10");
    }

    @Test
    void testEnumSymbolsCompareAsStrings() {
        CompiledExpression e =
                ExpressionCompiler.compile("status IN ('PAID', 'SHIPPED')", TestRecords.ORDER);

        assertThat(e.evaluate(TestRecords.order(1, "a", 1, "PAID"))).isEqualTo(true);
        assertThat(e.evaluate(TestRecords.order(1, "a", 1, "NEW"))).isEqualTo(false);
        GenericRecord withEnumSymbol = TestRecords.order(1, "a", 1, "NEW");
        withEnumSymbol.put(
                "status",
                new GenericData.EnumSymbol(
                        TestRecords.ORDER.getField("status").schema(), "SHIPPED"));
        assertThat(e.evaluate(withEnumSymbol)).isEqualTo(true);
        assertThat(List.of(e.resultSchema().toString())).containsExactly("\"boolean\"");
    }
}
