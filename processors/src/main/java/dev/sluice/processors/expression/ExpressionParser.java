package dev.sluice.processors.expression;

import java.util.Locale;
import java.util.Set;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * Parses the text of one SQL expression with Calcite's parser, and nothing else: {@link
 * SqlParser#parseExpression()} accepts an expression only, never a statement, so {@code DROP TABLE
 * x}, {@code SELECT 1} or {@code x; DELETE FROM t} are syntax errors. (Subqueries inside an
 * expression do parse; {@link TypeChecker} rejects them.)
 *
 * <p>Identifiers are case-sensitive and may be double-quoted ({@code "order id"}); {@code !=} and
 * {@code %} are allowed besides {@code <>} and {@code MOD}.
 */
final class ExpressionParser {

    private static final SqlConformance CONFORMANCE =
            new SqlDelegatingConformance(SqlConformanceEnum.DEFAULT) {
                @Override
                public boolean isBangEqualAllowed() {
                    return true;
                }

                @Override
                public boolean isPercentRemainderAllowed() {
                    return true;
                }
            };

    private static final SqlParser.Config CONFIG =
            SqlParser.config()
                    .withQuoting(Quoting.DOUBLE_QUOTE)
                    .withUnquotedCasing(Casing.UNCHANGED)
                    .withQuotedCasing(Casing.UNCHANGED)
                    .withCaseSensitive(true)
                    .withConformance(CONFORMANCE);

    /** Words that start a statement or a query: a hint says these are not expressions. */
    private static final Set<String> STATEMENT_WORDS =
            Set.of(
                    "SELECT",
                    "INSERT",
                    "UPDATE",
                    "DELETE",
                    "MERGE",
                    "UPSERT",
                    "DROP",
                    "CREATE",
                    "ALTER",
                    "TRUNCATE",
                    "WITH",
                    "VALUES",
                    "TABLE",
                    "GRANT",
                    "REVOKE",
                    "CALL",
                    "EXPLAIN",
                    "DESCRIBE",
                    "SET",
                    "RESET",
                    "USE",
                    "COMMIT",
                    "ROLLBACK");

    /** Keywords of the expression syntax itself: never the word a hint should be about. */
    private static final Set<String> OPERATOR_WORDS =
            Set.of(
                    "AND",
                    "OR",
                    "NOT",
                    "IS",
                    "IN",
                    "LIKE",
                    "BETWEEN",
                    "SYMMETRIC",
                    "ASYMMETRIC",
                    "CASE",
                    "WHEN",
                    "THEN",
                    "ELSE",
                    "END",
                    "NULL",
                    "TRUE",
                    "FALSE",
                    "UNKNOWN",
                    "CAST",
                    "AS",
                    "ESCAPE",
                    "DISTINCT");

    private ExpressionParser() {}

    /**
     * Parses {@code expression}.
     *
     * @throws ExpressionException of kind {@link ExpressionException.Kind#PARSE} with the parser's
     *     message, line and column
     */
    static SqlNode parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw ExpressionException.of(
                    ExpressionException.Kind.PARSE,
                    "the expression is empty: an SQL expression over the input's fields is expected",
                    expression);
        }
        SqlParser parser = SqlParser.create(expression, CONFIG);
        try {
            return parser.parseExpression();
        } catch (SqlParseException e) {
            SqlParserPos pos = e.getPos();
            int line = pos == null ? -1 : pos.getLineNum();
            int column = pos == null ? -1 : pos.getColumnNum();
            String message =
                    "cannot parse expression \""
                            + expression
                            + "\": "
                            + firstPart(e.getMessage())
                            + hint(expression, line, column, parser.getMetadata());
            throw new ExpressionException(
                    ExpressionException.Kind.PARSE, message, expression, null, line, column);
        }
    }

    /** Calcite's message without its (very long) list of the tokens it expected. */
    private static String firstPart(String parserMessage) {
        if (parserMessage == null) {
            return "syntax error";
        }
        int cut = parserMessage.indexOf("Was expecting");
        String first = cut < 0 ? parserMessage : parserMessage.substring(0, cut);
        return first.replaceAll("\\s+", " ").trim();
    }

    /**
     * A hint when the parser stopped at a statement keyword, or at a reserved word that is probably
     * a field name ({@code value}, {@code order}, {@code year}...). Calcite often reports the
     * keyword before the offending word ("near the keyword 'AND'" for {@code a > 1 AND value < 2}),
     * so an operator keyword at the position is skipped.
     */
    private static String hint(
            String expression, int line, int column, SqlAbstractParserImpl.Metadata metadata) {
        if (line < 1) {
            return "";
        }
        int offset = new SourceText(expression).offset(line, column);
        for (int words = 0; words < 2; words++) {
            while (offset < expression.length()
                    && Character.isWhitespace(expression.charAt(offset))) {
                offset++;
            }
            int end = offset;
            while (end < expression.length()
                    && (Character.isLetterOrDigit(expression.charAt(end))
                            || expression.charAt(end) == '_')) {
                end++;
            }
            if (end == offset) {
                return "";
            }
            String word = expression.substring(offset, end);
            String upper = word.toUpperCase(Locale.ROOT);
            if (OPERATOR_WORDS.contains(upper)) {
                offset = end;
                continue;
            }
            if (STATEMENT_WORDS.contains(upper)) {
                return " Only a single expression is allowed here, not a query or a statement.";
            }
            if (metadata.isReservedWord(upper)) {
                return " '"
                        + word
                        + "' is a reserved word in SQL: if it is a field name, write it in double"
                        + " quotes: \""
                        + word
                        + "\".";
            }
            return "";
        }
        return "";
    }
}
