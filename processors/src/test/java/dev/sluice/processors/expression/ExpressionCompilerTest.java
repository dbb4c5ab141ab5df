package dev.sluice.processors.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.processors.expression.ExpressionException.Kind;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Compile-time behaviour: parsing, field resolution, type checking and the supported subset. */
class ExpressionCompilerTest {

    private static ExpressionException compileError(String expression, Schema schema) {
        return catchThrowableOfType(
                ExpressionException.class, () -> ExpressionCompiler.compile(expression, schema));
    }

    private static ExpressionException compileError(String expression) {
        return compileError(expression, TestRecords.WIDE);
    }

    // ---- parsing ---------------------------------------------------------------------------

    @Test
    void testParseErrorCarriesLineAndColumn() {
        ExpressionException e =
                compileError("amount > 1\n  AND AND status = 'PAID'", TestRecords.ORDER);

        assertThat(e.kind()).isEqualTo(Kind.PARSE);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.message())
                .isEqualTo(
                        "cannot parse expression \"amount > 1\n  AND AND status = 'PAID'\":"
                                + " Incorrect syntax near the keyword 'AND' at line 2, column 3.");
        assertThat(e.expression()).isEqualTo("amount > 1\n  AND AND status = 'PAID'");
        assertThat(e.field()).isNull();
    }

    @Test
    void testIncompleteExpressionIsParseError() {
        ExpressionException e = compileError("i = ");

        assertThat(e.kind()).isEqualTo(Kind.PARSE);
        assertThat(e.message())
                .isEqualTo(
                        "cannot parse expression \"i = \": Encountered \"= <EOF>\" at line 1,"
                                + " column 3.");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "DROP TABLE x",
                "SELECT 1",
                "SELECT * FROM t WHERE i = 1",
                "DELETE FROM t",
                "INSERT INTO t VALUES (1)"
            })
    void testStatementsAreRejectedAsParseErrors(String statement) {
        ExpressionException e = compileError(statement);

        assertThat(e.kind()).isEqualTo(Kind.PARSE);
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.message())
                .startsWith("cannot parse expression \"" + statement + "\": ")
                .endsWith(" Only a single expression is allowed here, not a query or a statement.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x; DELETE FROM t", "i > 1; DROP TABLE t", "i > 1 -- c\n; SELECT 1"})
    void testSecondStatementIsRejectedAsParseError(String text) {
        ExpressionException e = compileError(text);

        assertThat(e.kind()).isEqualTo(Kind.PARSE);
        assertThat(e.message()).contains("Encountered \";\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void testEmptyExpressionIsParseError(String text) {
        ExpressionException e = compileError(text);

        assertThat(e.kind()).isEqualTo(Kind.PARSE);
        assertThat(e.message())
                .isEqualTo(
                        "the expression is empty: an SQL expression over the input's fields is"
                                + " expected");
    }

    @Test
    void testReservedWordAsFieldNameGetsQuotingHint() {
        ExpressionException e = compileError("value = 'v'");

        assertThat(e.kind()).isEqualTo(Kind.PARSE);
        assertThat(e.message())
                .isEqualTo(
                        "cannot parse expression \"value = 'v'\": Encountered \"value\" at line 1,"
                                + " column 1. 'value' is a reserved word in SQL: if it is a field"
                                + " name, write it in double quotes: \"value\".");
        assertThat(
                        ExpressionCompiler.compile("\"value\" = 'v'", TestRecords.WIDE)
                                .evaluate(TestRecords.wide()))
                .isEqualTo(true);
    }

    @Test
    void testReservedWordAfterAnOperatorGetsQuotingHint() {
        ExpressionException e = compileError("i > 1 AND value < 2");

        assertThat(e.message())
                .isEqualTo(
                        "cannot parse expression \"i > 1 AND value < 2\": Incorrect syntax near the"
                                + " keyword 'AND' at line 1, column 7. 'value' is a reserved word in"
                                + " SQL: if it is a field name, write it in double quotes:"
                                + " \"value\".");
    }

    // ---- fields ----------------------------------------------------------------------------

    @Test
    void testUnknownFieldNamesTheFieldAndListsTheInputFields() {
        ExpressionException e = compileError("amout > 1", TestRecords.ORDER);

        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_FIELD);
        assertThat(e.field()).isEqualTo("amout");
        assertThat(e.message())
                .isEqualTo(
                        "unknown field 'amout' in expression \"amout > 1\"; the input has fields:"
                                + " id, customer, amount, status");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(1);
    }

    @Test
    void testFieldNamesAreCaseSensitiveWithHint() {
        ExpressionException e = compileError("Amount > 1", TestRecords.ORDER);

        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_FIELD);
        assertThat(e.field()).isEqualTo("Amount");
        assertThat(e.message())
                .isEqualTo(
                        "unknown field 'Amount' in expression \"Amount > 1\"; the input has"
                                + " fields: id, customer, amount, status (field names are"
                                + " case-sensitive: did you mean 'amount'?)");
        assertThat(compileError("name = 'N'").field()).isEqualTo("name");
    }

    @Test
    void testUnknownNestedFieldListsTheNestedRecordsFields() {
        ExpressionException e = compileError("address.zp = '1'");

        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_FIELD);
        assertThat(e.field()).isEqualTo("address.zp");
        assertThat(e.message())
                .isEqualTo(
                        "unknown field 'address.zp' in expression \"address.zp = '1'\";"
                                + " 'address' has fields: city, zip");
    }

    @Test
    void testPathThroughNonRecordIsUnknownField() {
        ExpressionException e = compileError("i.x > 1");

        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_FIELD);
        assertThat(e.field()).isEqualTo("i.x");
        assertThat(e.message())
                .isEqualTo(
                        "cannot read field 'i.x' in expression \"i.x > 1\": 'i' is INT, not a"
                                + " record");
    }

    @Test
    void testUnknownFieldPositionPointsAtTheField() {
        ExpressionException e = compileError("i > 1 AND\n   nope = 2");

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(4);
    }

    @Test
    void testReferencedFieldsInOrderOfAppearance() {
        CompiledExpression e =
                ExpressionCompiler.compile(
                        "l + i > d AND i > 0 OR address.city = 'x'", TestRecords.WIDE);

        assertThat(e.referencedFields()).containsExactly("l", "i", "d", "address.city");
        assertThat(ExpressionCompiler.compile("1 + 2", TestRecords.WIDE).referencedFields())
                .isEmpty();
    }

    // ---- types -----------------------------------------------------------------------------

    @Test
    void testArithmeticOnStringIsTypeError() {
        ExpressionException e = compileError("'a' + 1");

        assertThat(e.kind()).isEqualTo(Kind.TYPE);
        assertThat(e.message())
                .isEqualTo("cannot apply '+' to STRING and INT in expression \"'a' + 1\"");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(1);
    }

    @Test
    void testTypeErrorInSubexpressionQuotesTheSubexpression() {
        ExpressionException e = compileError("i > 1 AND s * 2 > 3");

        assertThat(e.kind()).isEqualTo(Kind.TYPE);
        assertThat(e.message())
                .isEqualTo(
                        "cannot apply '*' to STRING and INT: \"s * 2\" in expression \"i > 1 AND"
                                + " s * 2 > 3\"");
        assertThat(e.column()).isEqualTo(11);
    }

    @Test
    void testComparingStringWithNumberIsTypeError() {
        ExpressionException e = compileError("s = 1");

        assertThat(e.kind()).isEqualTo(Kind.TYPE);
        assertThat(e.message()).isEqualTo("cannot compare STRING and INT in expression \"s = 1\"");
    }

    @Test
    void testComparingBytesIsTypeError() {
        assertThat(compileError("raw = raw").message())
                .isEqualTo("values of type BYTES cannot be compared in expression \"raw = raw\"");
        assertThat(compileError("tags IN (tags)").message())
                .isEqualTo(
                        "values of type ARRAY cannot be compared in expression \"tags IN"
                                + " (tags)\"");
    }

    @Test
    void testLogicOnNonBooleanIsTypeError() {
        ExpressionException e = compileError("i > 1 AND s");

        assertThat(e.kind()).isEqualTo(Kind.TYPE);
        assertThat(e.message())
                .isEqualTo(
                        "AND needs boolean operands, but 's' is STRING in expression \"i > 1 AND"
                                + " s\"");
        assertThat(compileError("NOT i").message())
                .isEqualTo("NOT needs boolean operands, but 'i' is INT in expression \"NOT i\"");
    }

    @Test
    void testConcatOfNonStringIsTypeErrorWithCastHint() {
        ExpressionException e = compileError("s || i");

        assertThat(e.kind()).isEqualTo(Kind.TYPE);
        assertThat(e.message())
                .isEqualTo(
                        "'||' needs strings, but 'i' is INT (use CAST(i AS STRING)) in expression"
                                + " \"s || i\"");
    }

    @Test
    void testIncompatibleCaseBranchesAreTypeError() {
        ExpressionException e = compileError("CASE WHEN b THEN 1 ELSE 'x' END");

        assertThat(e.kind()).isEqualTo(Kind.TYPE);
        assertThat(e.message())
                .isEqualTo(
                        "CASE branches have incompatible types INT and STRING in expression"
                                + " \"CASE WHEN b THEN 1 ELSE 'x' END\"");
    }

    @Test
    void testCaseConditionMustBeBoolean() {
        assertThat(compileError("CASE WHEN i THEN 1 END").message())
                .isEqualTo(
                        "WHEN needs boolean operands, but 'i' is INT in expression \"CASE WHEN i"
                                + " THEN 1 END\"");
    }

    @Test
    void testForbiddenCastIsTypeError() {
        assertThat(compileError("CAST(d AS BOOLEAN)").message())
                .isEqualTo("cannot cast DOUBLE to BOOLEAN in expression \"CAST(d AS BOOLEAN)\"");
        assertThat(compileError("CAST(raw AS STRING)").message())
                .isEqualTo("cannot cast BYTES to STRING in expression \"CAST(raw AS STRING)\"");
    }

    @Test
    void testFunctionArgumentsAreChecked() {
        assertThat(compileError("UPPER(i)").message())
                .isEqualTo(
                        "UPPER needs strings, but 'i' is INT (use CAST(i AS STRING)) in"
                                + " expression \"UPPER(i)\"");
        assertThat(compileError("UPPER(s, s)").message())
                .isEqualTo("UPPER takes 1 argument, got 2 in expression \"UPPER(s, s)\"");
        assertThat(compileError("ABS(s)").message())
                .isEqualTo("cannot apply 'ABS' to STRING in expression \"ABS(s)\"");
        assertThat(compileError("SUBSTRING(s, 1.5)").message())
                .isEqualTo(
                        "SUBSTRING needs integer positions, but '1.5' is DOUBLE in expression"
                                + " \"SUBSTRING(s, 1.5)\"");
        assertThat(compileError("s LIKE 'a' ESCAPE 'ab'").message())
                .isEqualTo(
                        "the ESCAPE of LIKE must be a single-character string in expression \"s"
                                + " LIKE 'a' ESCAPE 'ab'\"");
    }

    @Test
    void testInvalidLiteralLikePatternFailsAtCompileTime() {
        ExpressionException e = compileError("s LIKE 'a!' ESCAPE '!'");

        assertThat(e.kind()).isEqualTo(Kind.TYPE);
        assertThat(e.message())
                .isEqualTo(
                        "invalid LIKE pattern 'a!': it ends with the escape character: \"s LIKE"
                                + " 'a!' ESCAPE '!'\" in expression \"s LIKE 'a!' ESCAPE '!'\"");
    }

    // ---- unsupported -----------------------------------------------------------------------

    @Test
    void testUnknownFunctionListsTheSupportedFunctions() {
        ExpressionException e = compileError("i > 1 AND foo(s) = 1");

        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(e.message())
                .isEqualTo(
                        "unknown function 'foo': \"foo(s)\" in expression \"i > 1 AND foo(s) ="
                                + " 1\"; the supported functions are: ABS, CAST, CEIL,"
                                + " CHARACTER_LENGTH, CHAR_LENGTH, COALESCE, CONCAT, FLOOR, LOWER,"
                                + " MOD, ROUND, SUBSTRING, TRIM, UPPER");
        assertThat(e.column()).isEqualTo(11);
    }

    @Test
    void testSubqueriesAreUnsupported() {
        ExpressionException in = compileError("i IN (SELECT 1)");
        assertThat(in.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(in.message())
                .isEqualTo(
                        "subqueries are not supported; IN needs a list of values in expression"
                                + " \"i IN (SELECT 1)\"");

        ExpressionException exists = compileError("EXISTS (SELECT 1 FROM t)");
        assertThat(exists.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(exists.message()).startsWith("subqueries are not supported");

        assertThat(compileError("i = (SELECT MAX(i) FROM t)").kind()).isEqualTo(Kind.UNSUPPORTED);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "COUNT(*) > 1",
                "SUM(i)",
                "i = ?",
                "CURRENT_TIMESTAMP",
                "DATE '2024-01-01'",
                "CAST(i AS SMALLINT)",
                "s SIMILAR TO 'a'",
                "EXTRACT(YEAR FROM ts)",
                "POSITION('a' IN s)",
                "FLOOR(d TO DAY)",
                "ROUND(d, i)",
                "ROW(1, 2)"
            })
    void testOutsideTheSubsetIsRejected(String expression) {
        ExpressionException e = compileError(expression);

        assertThat(e.kind()).isIn(Kind.UNSUPPORTED, Kind.UNKNOWN_FIELD);
        assertThat(e.message()).contains("\"" + expression + "\"");
    }

    @Test
    void testCastToUnsupportedTypeListsTheSupportedTypes() {
        assertThat(compileError("CAST(i AS SMALLINT)").message())
                .isEqualTo(
                        "CAST to SMALLINT is not supported; the supported types are: INT, BIGINT,"
                                + " FLOAT, DOUBLE, DECIMAL(p, s), VARCHAR, STRING, BOOLEAN in"
                                + " expression \"CAST(i AS SMALLINT)\"");
    }

    @Test
    void testNonRecordSchemaIsRejected() {
        assertThatThrownBy(() -> ExpressionCompiler.compile("1", Schema.create(Schema.Type.STRING)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expressions are compiled against a record schema, got STRING");
    }

    // ---- result schemas --------------------------------------------------------------------

    @Test
    void testResultSchemaIsNullableUnlessProvablyNonNull() {
        assertThat(schemaOf("i + 1")).isEqualTo("\"int\"");
        assertThat(schemaOf("ni + 1")).isEqualTo("[\"null\",\"int\"]");
        assertThat(schemaOf("i > 1")).isEqualTo("\"boolean\"");
        assertThat(schemaOf("ni > 1")).isEqualTo("[\"null\",\"boolean\"]");
        assertThat(schemaOf("ni IS NULL")).isEqualTo("\"boolean\"");
        assertThat(schemaOf("nb IS NOT TRUE")).isEqualTo("\"boolean\"");
        assertThat(schemaOf("'x'")).isEqualTo("\"string\"");
        assertThat(schemaOf("COALESCE(ni, 0)")).isEqualTo("\"int\"");
        assertThat(schemaOf("COALESCE(ni, nl)")).isEqualTo("[\"null\",\"long\"]");
        assertThat(schemaOf("CASE WHEN b THEN 1 END")).isEqualTo("[\"null\",\"int\"]");
        assertThat(schemaOf("CASE WHEN b THEN 1 ELSE 2 END")).isEqualTo("\"int\"");
        assertThat(schemaOf("CAST(NULL AS INT)")).isEqualTo("[\"null\",\"int\"]");
        assertThat(schemaOf("UPPER(e)")).isEqualTo("\"string\"");
        assertThat(schemaOf("NULL")).isEqualTo("\"null\"");
    }

    @Test
    void testLiteralTypes() {
        assertThat(schemaOf("2147483647")).isEqualTo("\"int\"");
        assertThat(schemaOf("-2147483648")).isEqualTo("\"int\"");
        assertThat(schemaOf("2147483648")).isEqualTo("\"long\"");
        assertThat(schemaOf("1.5")).isEqualTo("\"double\"");
        assertThat(schemaOf("1e3")).isEqualTo("\"double\"");
        assertThat(schemaOf("TRUE")).isEqualTo("\"boolean\"");
        assertThat(schemaOf("99999999999999999999"))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":20,\"scale\":0}");
    }

    @Test
    void testArithmeticWidening() {
        assertThat(schemaOf("i + l")).isEqualTo("\"long\"");
        assertThat(schemaOf("i + f")).isEqualTo("\"float\"");
        assertThat(schemaOf("l * d")).isEqualTo("\"double\"");
        assertThat(schemaOf("f - d")).isEqualTo("\"double\"");
        assertThat(schemaOf("price + 1"))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":13,\"scale\":2}");
        assertThat(schemaOf("price * price"))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":20,\"scale\":4}");
        assertThat(schemaOf("price / 4"))
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":21,\"scale\":13}");
        assertThat(schemaOf("price * 1.5")).isEqualTo("\"double\"");
    }

    @Test
    void testFieldReferencePassesTheFieldSchemaThrough() {
        assertThat(schemaOf("e")).isEqualTo(TestRecords.WIDE.getField("e").schema().toString());
        assertThat(schemaOf("ts"))
                .isEqualTo("{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}");
        assertThat(schemaOf("tags")).isEqualTo("{\"type\":\"array\",\"items\":\"string\"}");
        assertThat(schemaOf("\"Name\"")).isEqualTo("\"string\"");
        // a non-null field inside a nullable record becomes nullable
        assertThat(schemaOf("address.city")).isEqualTo("[\"null\",\"string\"]");
        assertThat(schemaOf("address.zip")).isEqualTo("[\"null\",\"string\"]");
    }

    private static String schemaOf(String expression) {
        return ExpressionCompiler.compile(expression, TestRecords.WIDE).resultSchema().toString();
    }
}
