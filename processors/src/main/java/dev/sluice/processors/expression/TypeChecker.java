package dev.sluice.processors.expression;

import dev.sluice.processors.expression.ExpressionException.Kind;
import dev.sluice.processors.expression.Node.Call;
import dev.sluice.processors.expression.Node.FieldRef;
import dev.sluice.processors.expression.Node.Literal;
import dev.sluice.processors.expression.Node.Op;
import dev.sluice.processors.expression.Node.TrimMode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.fun.SqlBetweenOperator;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Turns Calcite's parse tree into a typed {@link Node} tree, checking it against the input record
 * schema: fields are resolved to positions, every operator and function is matched against the
 * supported subset (anything else is {@link Kind#UNSUPPORTED}), operand types are checked and
 * widened to a common type, and the result type and its nullability are derived.
 *
 * <p>Typing follows Flink SQL: numeric operands widen INT → BIGINT → DECIMAL → FLOAT → DOUBLE;
 * strings compare with strings and booleans with booleans only; a result is nullable when an
 * operand is (COALESCE: when all are; IS ...: never).
 *
 * <p>One instance checks one expression.
 */
final class TypeChecker {

    /** The functions users may call, for the message about an unknown function. */
    static final String SUPPORTED_FUNCTIONS =
            "ABS, CAST, CEIL, CHARACTER_LENGTH, CHAR_LENGTH, COALESCE, CONCAT, FLOOR, LOWER, MOD,"
                    + " ROUND, SUBSTRING, TRIM, UPPER";

    private static final String SUPPORTED_CASTS =
            "INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p, s), VARCHAR, STRING, BOOLEAN";

    private final SourceText source;
    private final String expression;
    private final Schema input;
    private final Set<String> referenced = new LinkedHashSet<>();

    TypeChecker(String expression, Schema inputRecordSchema) {
        this.source = new SourceText(expression);
        this.expression = expression;
        this.input = inputRecordSchema;
    }

    /** The fields the checked expression reads (dotted paths), in order of first appearance. */
    Set<String> referencedFields() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(referenced));
    }

    Node check(SqlNode node) {
        if (node == null) {
            throw unsupported(null, "an empty operand");
        }
        if (node.getKind().belongsTo(SqlKind.QUERY)
                || node.getKind() == SqlKind.EXISTS
                || node.getKind() == SqlKind.UNIQUE
                || node.getKind() == SqlKind.SCALAR_QUERY) {
            throw unsupported(node, "subqueries are not supported");
        }
        if (node instanceof SqlIdentifier) {
            return field((SqlIdentifier) node);
        }
        if (node instanceof SqlLiteral) {
            return literal((SqlLiteral) node);
        }
        if (node instanceof SqlDynamicParam) {
            throw unsupported(node, "parameters ('?') are not supported");
        }
        if (node instanceof SqlCall) {
            return call((SqlCall) node);
        }
        throw unsupported(node, "this is not supported in an expression");
    }

    // ---- fields ----------------------------------------------------------------------------

    private Node field(SqlIdentifier id) {
        if (id.isStar()) {
            throw unsupported(id, "'*' is not supported");
        }
        List<String> names = id.names;
        String path = String.join(".", names);
        int[] positions = new int[names.size()];
        Schema current = input;
        boolean nullablePath = false;
        for (int i = 0; i < names.size(); i++) {
            Schema record = AvroTypes.recordOf(current);
            if (record == null) {
                String parent = String.join(".", names.subList(0, i));
                throw new ExpressionException(
                        Kind.UNKNOWN_FIELD,
                        "cannot read field '"
                                + path
                                + "' in expression \""
                                + expression
                                + "\": '"
                                + parent
                                + "' is "
                                + AvroTypes.sqlType(current)
                                + ", not a record",
                        expression,
                        path,
                        line(id),
                        column(id));
            }
            if (i > 0 && AvroTypes.isNullable(current)) {
                nullablePath = true;
            }
            Schema.Field field = record.getField(names.get(i));
            if (field == null) {
                throw unknownField(id, path, record, names.get(i), i == 0 ? null : names, i);
            }
            positions[i] = field.pos();
            current = field.schema();
        }
        referenced.add(path);
        SqlType type = AvroTypes.sqlType(current);
        if (nullablePath) {
            type = type.withNullable(true);
        }
        Schema passThrough = nullablePath ? AvroTypes.nullable(current) : current;
        return new FieldRef(path, positions, current, passThrough, type, text(id));
    }

    private ExpressionException unknownField(
            SqlIdentifier id,
            String path,
            Schema record,
            String missing,
            List<String> names,
            int level) {
        List<String> available =
                record.getFields().stream().map(Schema.Field::name).collect(Collectors.toList());
        String where =
                names == null
                        ? "the input has fields: "
                        : "'" + String.join(".", names.subList(0, level)) + "' has fields: ";
        StringBuilder message =
                new StringBuilder()
                        .append("unknown field '")
                        .append(path)
                        .append("' in expression \"")
                        .append(expression)
                        .append("\"; ")
                        .append(where)
                        .append(String.join(", ", available));
        for (String candidate : available) {
            if (candidate.equalsIgnoreCase(missing)) {
                message.append(" (field names are case-sensitive: did you mean '")
                        .append(candidate)
                        .append("'?)");
                break;
            }
        }
        return new ExpressionException(
                Kind.UNKNOWN_FIELD, message.toString(), expression, path, line(id), column(id));
    }

    // ---- literals --------------------------------------------------------------------------

    private Node literal(SqlLiteral literal) {
        String text = text(literal);
        switch (literal.getTypeName()) {
            case NULL:
                return new Literal(null, SqlType.NULL, text);
            case BOOLEAN:
                Boolean value = literal.getValueAs(Boolean.class);
                return value == null
                        ? new Literal(null, SqlType.of(SqlType.Kind.BOOLEAN, true), text)
                        : new Literal(value, SqlType.of(SqlType.Kind.BOOLEAN, false), text);
            case CHAR:
                return new Literal(
                        literal.getValueAs(String.class),
                        SqlType.of(SqlType.Kind.STRING, false),
                        text);
            case DECIMAL:
            case DOUBLE:
                if (literal instanceof SqlNumericLiteral) {
                    SqlNumericLiteral numeric = (SqlNumericLiteral) literal;
                    return number(
                            literal, literal.getValueAs(BigDecimal.class), numeric.isExact(), text);
                }
                break;
            default:
                break;
        }
        throw unsupported(
                literal, "literals of type " + literal.getTypeName() + " are not supported");
    }

    /**
     * A numeric literal: integers are INT, or BIGINT when too large, or DECIMAL(p, 0) when larger
     * still; numbers with a decimal point or an exponent are DOUBLE.
     */
    private Node number(SqlNode at, BigDecimal value, boolean exact, String text) {
        if (exact && value.scale() <= 0) {
            try {
                long asLong = value.longValueExact();
                if ((int) asLong == asLong) {
                    return new Literal((int) asLong, SqlType.of(SqlType.Kind.INT, false), text);
                }
                return new Literal(asLong, SqlType.of(SqlType.Kind.BIGINT, false), text);
            } catch (ArithmeticException tooLarge) {
                BigDecimal integral = value.setScale(0);
                if (integral.precision() > SqlType.MAX_DECIMAL_PRECISION) {
                    throw typeError(at, "integer literal out of range");
                }
                return new Literal(integral, SqlType.decimal(integral.precision(), 0, false), text);
            }
        }
        double d = value.doubleValue();
        if (Double.isInfinite(d)) {
            throw typeError(at, "numeric literal out of range for DOUBLE");
        }
        return new Literal(d, SqlType.of(SqlType.Kind.DOUBLE, false), text);
    }

    // ---- calls -----------------------------------------------------------------------------

    private Node call(SqlCall call) {
        if (call.getFunctionQuantifier() != null) {
            throw unsupported(call, "DISTINCT in a function call is not supported");
        }
        SqlKind kind = call.getKind();
        switch (kind) {
            case AND:
                return logical(call, Op.AND);
            case OR:
                return logical(call, Op.OR);
            case NOT:
                return not(call);
            case IS_NULL:
                return isNull(call, Op.IS_NULL);
            case IS_NOT_NULL:
                return isNull(call, Op.IS_NOT_NULL);
            case IS_TRUE:
                return isBoolean(call, Op.IS_TRUE);
            case IS_NOT_TRUE:
                return isBoolean(call, Op.IS_NOT_TRUE);
            case IS_FALSE:
                return isBoolean(call, Op.IS_FALSE);
            case IS_NOT_FALSE:
                return isBoolean(call, Op.IS_NOT_FALSE);
            case IS_DISTINCT_FROM:
                return distinct(call, Op.IS_DISTINCT_FROM);
            case IS_NOT_DISTINCT_FROM:
                return distinct(call, Op.IS_NOT_DISTINCT_FROM);
            case EQUALS:
                return comparison(call, Op.EQ);
            case NOT_EQUALS:
                return comparison(call, Op.NE);
            case LESS_THAN:
                return comparison(call, Op.LT);
            case LESS_THAN_OR_EQUAL:
                return comparison(call, Op.LE);
            case GREATER_THAN:
                return comparison(call, Op.GT);
            case GREATER_THAN_OR_EQUAL:
                return comparison(call, Op.GE);
            case PLUS:
                return arithmetic(call, Op.PLUS, "+");
            case MINUS:
                return arithmetic(call, Op.MINUS, "-");
            case TIMES:
                return arithmetic(call, Op.TIMES, "*");
            case DIVIDE:
                return arithmetic(call, Op.DIVIDE, "/");
            case MOD:
                return arithmetic(call, Op.MOD, "%");
            case MINUS_PREFIX:
                return negate(call);
            case PLUS_PREFIX:
                return unaryPlus(call);
            case BETWEEN:
                return between(call);
            case IN:
                return in(call, false);
            case NOT_IN:
                return in(call, true);
            case LIKE:
                return like(call);
            case CASE:
                return caseWhen((SqlCase) call);
            case CAST:
                return cast(call);
            case TRIM:
                return trim(call);
            case FLOOR:
                return floorCeil(call, Op.FLOOR);
            case CEIL:
                return floorCeil(call, Op.CEIL);
            case OTHER_FUNCTION:
                return function(call);
            case OTHER:
                if ("||".equals(call.getOperator().getName())) {
                    return concat(call, "'||'");
                }
                break;
            default:
                break;
        }
        throw unsupported(call, "'" + call.getOperator().getName() + "' is not supported");
    }

    private Node function(SqlCall call) {
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        switch (name) {
            case "UPPER":
                return stringFunction(call, Op.UPPER, name);
            case "LOWER":
                return stringFunction(call, Op.LOWER, name);
            case "CHAR_LENGTH":
            case "CHARACTER_LENGTH":
                return charLength(call, name);
            case "SUBSTRING":
                return substring(call);
            case "ABS":
                return abs(call);
            case "ROUND":
                return round(call);
            case "MOD":
                arity(call, name, 2, 2);
                return arithmetic(call, Op.MOD, "MOD");
            case "CONCAT":
                return concat(call, "CONCAT");
            case "COALESCE":
                return coalesce(call);
            default:
                throw error(
                        Kind.UNSUPPORTED,
                        call,
                        "unknown function '" + call.getOperator().getName() + "'",
                        "; the supported functions are: " + SUPPORTED_FUNCTIONS);
        }
    }

    // ---- boolean logic ---------------------------------------------------------------------

    private Node logical(SqlCall call, Op op) {
        List<Node> operands = new ArrayList<>();
        for (SqlNode operand : call.getOperandList()) {
            operands.add(booleanOperand(call, check(operand), op.name()));
        }
        Node result = operands.get(0);
        for (int i = 1; i < operands.size(); i++) {
            Node next = operands.get(i);
            result =
                    new Call(
                            op,
                            List.of(result, next),
                            bool(result.type().nullable() || next.type().nullable()),
                            text(call),
                            null);
        }
        return result;
    }

    private Node not(SqlCall call) {
        Node operand = booleanOperand(call, check(call.operand(0)), "NOT");
        return negation(operand, text(call));
    }

    private static Node negation(Node operand, String text) {
        return new Call(Op.NOT, List.of(operand), bool(operand.type().nullable()), text, null);
    }

    private Node booleanOperand(SqlCall call, Node operand, String operator) {
        SqlType.Kind kind = operand.type().kind();
        if (kind == SqlType.Kind.NULL) {
            return coerce(operand, SqlType.of(SqlType.Kind.BOOLEAN, true));
        }
        if (kind != SqlType.Kind.BOOLEAN) {
            throw typeError(
                    call,
                    operator
                            + " needs boolean operands, but '"
                            + operand.text()
                            + "' is "
                            + operand.type());
        }
        return operand;
    }

    private Node isNull(SqlCall call, Op op) {
        Node operand = check(call.operand(0));
        return new Call(op, List.of(operand), bool(false), text(call), null);
    }

    private Node isBoolean(SqlCall call, Op op) {
        Node operand = booleanOperand(call, check(call.operand(0)), call.getOperator().getName());
        return new Call(op, List.of(operand), bool(false), text(call), null);
    }

    // ---- comparison ------------------------------------------------------------------------

    private Node comparison(SqlCall call, Op op) {
        Node left = check(call.operand(0));
        Node right = check(call.operand(1));
        return compare(call, op, left, right, text(call));
    }

    private Node compare(SqlNode at, Op op, Node left, Node right, String text) {
        SqlType common = comparableType(at, List.of(left, right));
        boolean nullable = left.type().nullable() || right.type().nullable();
        if (common.kind() == SqlType.Kind.NULL) {
            return new Literal(null, bool(true), text);
        }
        List<Node> operands;
        if (left.type().kind() == SqlType.Kind.DECIMAL
                && right.type().kind() == SqlType.Kind.DECIMAL) {
            operands = List.of(left, right); // compareTo ignores the scale
        } else {
            operands = List.of(coerce(left, common), coerce(right, common));
        }
        return new Call(op, operands, bool(nullable), text, null);
    }

    private Node distinct(SqlCall call, Op op) {
        Node left = check(call.operand(0));
        Node right = check(call.operand(1));
        SqlType common = comparableType(call, List.of(left, right));
        if (common.kind() == SqlType.Kind.NULL) {
            return new Literal(op == Op.IS_NOT_DISTINCT_FROM, bool(false), text(call));
        }
        return new Call(
                op,
                List.of(coerce(left, common), coerce(right, common)),
                bool(false),
                text(call),
                null);
    }

    /** The common type of values compared with each other; fails for incomparable types. */
    private SqlType comparableType(SqlNode at, List<Node> nodes) {
        SqlType common = commonType(nodes);
        if (common == null) {
            throw typeError(at, "cannot compare " + describeTypes(nodes));
        }
        if (common.kind() == SqlType.Kind.OTHER) {
            throw typeError(at, "values of type " + common + " cannot be compared");
        }
        return common;
    }

    private Node between(SqlCall call) {
        SqlBetweenOperator operator = (SqlBetweenOperator) call.getOperator();
        Node value = check(call.operand(0));
        Node lower = check(call.operand(1));
        Node upper = check(call.operand(2));
        String text = text(call);
        SqlType common = comparableType(call, List.of(value, lower, upper));
        if (common.kind() != SqlType.Kind.NULL) {
            value = coerce(value, common);
            lower = coerce(lower, common);
            upper = coerce(upper, common);
        }
        Node result = range(call, value, lower, upper, text);
        if (operator.flag == SqlBetweenOperator.Flag.SYMMETRIC) {
            Node swapped = range(call, value, upper, lower, text);
            result =
                    new Call(
                            Op.OR,
                            List.of(result, swapped),
                            bool(result.type().nullable() || swapped.type().nullable()),
                            text,
                            null);
        }
        return operator.isNegated() ? negation(result, text) : result;
    }

    private Node range(SqlNode at, Node value, Node lower, Node upper, String text) {
        Node atLeast = compare(at, Op.GE, value, lower, text);
        Node atMost = compare(at, Op.LE, value, upper, text);
        return new Call(
                Op.AND,
                List.of(atLeast, atMost),
                bool(atLeast.type().nullable() || atMost.type().nullable()),
                text,
                null);
    }

    private Node in(SqlCall call, boolean negated) {
        SqlNode listNode = call.operand(1);
        if (!(listNode instanceof SqlNodeList)) {
            throw unsupported(call, "subqueries are not supported; IN needs a list of values");
        }
        List<Node> nodes = new ArrayList<>();
        nodes.add(check(call.operand(0)));
        for (SqlNode item : (SqlNodeList) listNode) {
            nodes.add(check(item));
        }
        SqlType common = comparableType(call, nodes);
        String text = text(call);
        boolean nullable = nodes.stream().anyMatch(n -> n.type().nullable());
        Node result;
        if (common.kind() == SqlType.Kind.NULL) {
            result = new Literal(null, bool(true), text);
        } else {
            List<Node> coerced = new ArrayList<>();
            for (Node node : nodes) {
                coerced.add(coerce(node, common));
            }
            result = new Call(Op.IN, coerced, bool(nullable), text, null);
        }
        return negated ? negation(result, text) : result;
    }

    private Node like(SqlCall call) {
        SqlLikeOperator operator = (SqlLikeOperator) call.getOperator();
        if (!operator.isCaseSensitive()) {
            throw unsupported(call, "ILIKE is not supported; compare LOWER(x) LIKE '...' instead");
        }
        List<Node> operands = new ArrayList<>();
        operands.add(stringOperand(call, check(call.operand(0)), "LIKE"));
        operands.add(stringOperand(call, check(call.operand(1)), "LIKE"));
        if (call.operandCount() > 2) {
            Node escape = check(call.operand(2));
            if (!(escape instanceof Literal)
                    || !(((Literal) escape).value() instanceof String)
                    || ((String) ((Literal) escape).value()).length() != 1) {
                throw typeError(call, "the ESCAPE of LIKE must be a single-character string");
            }
            operands.add(escape);
        }
        String text = text(call);
        boolean nullable = operands.get(0).type().nullable() || operands.get(1).type().nullable();
        Node result = new Call(Op.LIKE, operands, bool(nullable), text, null);
        return operator.isNegated() ? negation(result, text) : result;
    }

    // ---- arithmetic ------------------------------------------------------------------------

    private Node arithmetic(SqlCall call, Op op, String symbol) {
        Node left = check(call.operand(0));
        Node right = check(call.operand(1));
        SqlType.Kind lk = left.type().kind();
        SqlType.Kind rk = right.type().kind();
        boolean leftOk = lk.isNumeric() || lk == SqlType.Kind.NULL;
        boolean rightOk = rk.isNumeric() || rk == SqlType.Kind.NULL;
        if (!leftOk || !rightOk || (lk == SqlType.Kind.NULL && rk == SqlType.Kind.NULL)) {
            throw typeError(
                    call,
                    "cannot apply '" + symbol + "' to " + left.type() + " and " + right.type());
        }
        if (lk == SqlType.Kind.NULL) {
            left = coerce(left, right.type().withNullable(true));
        } else if (rk == SqlType.Kind.NULL) {
            right = coerce(right, left.type().withNullable(true));
        }
        boolean nullable = left.type().nullable() || right.type().nullable();
        SqlType lt = left.type();
        SqlType rt = right.type();
        boolean decimal =
                (lt.kind() == SqlType.Kind.DECIMAL || rt.kind() == SqlType.Kind.DECIMAL)
                        && !lt.kind().isApproximate()
                        && !rt.kind().isApproximate();
        SqlType result;
        if (decimal) {
            SqlType ld = lt.asDecimal();
            SqlType rd = rt.asDecimal();
            left = coerce(left, ld);
            right = coerce(right, rd);
            result = decimalResult(op, ld, rd, nullable);
        } else {
            result = widen(lt, rt).withNullable(nullable);
            left = coerce(left, result);
            right = coerce(right, result);
        }
        return new Call(op, List.of(left, right), result, text(call), null);
    }

    /** Flink SQL's DECIMAL result types of arithmetic, capped at precision 38. */
    private static SqlType decimalResult(Op op, SqlType a, SqlType b, boolean nullable) {
        int p1 = a.precision();
        int s1 = a.scale();
        int p2 = b.precision();
        int s2 = b.scale();
        int precision;
        int scale;
        switch (op) {
            case PLUS:
            case MINUS:
                scale = Math.max(s1, s2);
                precision = Math.max(p1 - s1, p2 - s2) + scale + 1;
                break;
            case TIMES:
                precision = p1 + p2;
                scale = s1 + s2;
                break;
            case DIVIDE:
                scale = Math.max(6, s1 + p2 + 1);
                precision = p1 - s1 + s2 + scale;
                break;
            case MOD:
                scale = Math.max(s1, s2);
                precision = Math.min(p1 - s1, p2 - s2) + scale;
                break;
            default:
                throw new IllegalStateException("not arithmetic: " + op);
        }
        return adjustedDecimal(precision, scale, nullable);
    }

    private static SqlType adjustedDecimal(int precision, int scale, boolean nullable) {
        if (precision <= SqlType.MAX_DECIMAL_PRECISION) {
            return SqlType.decimal(Math.max(precision, 1), scale, nullable);
        }
        int integerDigits = precision - scale;
        int minScale = Math.min(scale, 6);
        int adjustedScale = Math.max(SqlType.MAX_DECIMAL_PRECISION - integerDigits, minScale);
        return SqlType.decimal(SqlType.MAX_DECIMAL_PRECISION, adjustedScale, nullable);
    }

    private Node negate(SqlCall call) {
        SqlNode operand = call.operand(0);
        if (operand instanceof SqlNumericLiteral) {
            SqlNumericLiteral literal = (SqlNumericLiteral) operand;
            return number(
                    call,
                    literal.getValueAs(BigDecimal.class).negate(),
                    literal.isExact(),
                    text(call));
        }
        Node node = numericOperand(call, check(operand), "-");
        return new Call(Op.NEGATE, List.of(node), node.type(), text(call), null);
    }

    private Node unaryPlus(SqlCall call) {
        return numericOperand(call, check(call.operand(0)), "+");
    }

    private Node numericOperand(SqlCall call, Node operand, String operator) {
        if (!operand.type().kind().isNumeric()) {
            throw typeError(call, "cannot apply '" + operator + "' to " + operand.type());
        }
        return operand;
    }

    // ---- CASE, COALESCE, CAST ---------------------------------------------------------------

    private Node caseWhen(SqlCase sqlCase) {
        String text = text(sqlCase);
        Node value = sqlCase.getValueOperand() == null ? null : check(sqlCase.getValueOperand());
        List<Node> conditions = new ArrayList<>();
        for (SqlNode when : sqlCase.getWhenOperands()) {
            Node condition = check(when);
            if (value != null) {
                condition = compare(sqlCase, Op.EQ, value, condition, text(when));
            }
            conditions.add(booleanOperand(sqlCase, condition, "WHEN"));
        }
        List<Node> results = new ArrayList<>();
        for (SqlNode then : sqlCase.getThenOperands()) {
            results.add(check(then));
        }
        SqlNode elseNode = sqlCase.getElseOperand();
        results.add(elseNode == null ? new Literal(null, SqlType.NULL, "NULL") : check(elseNode));
        SqlType common = commonType(results);
        if (common == null) {
            throw typeError(
                    sqlCase, "CASE branches have incompatible types " + describeTypes(results));
        }
        if (common.kind() == SqlType.Kind.OTHER) {
            throw typeError(sqlCase, "CASE cannot return values of type " + common);
        }
        if (common.kind() == SqlType.Kind.NULL) {
            return new Literal(null, SqlType.NULL, text);
        }
        List<Node> operands = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            operands.add(conditions.get(i));
            operands.add(coerce(results.get(i), common));
        }
        operands.add(coerce(results.get(results.size() - 1), common));
        return new Call(Op.CASE, operands, common, text, null);
    }

    private Node coalesce(SqlCall call) {
        arity(call, "COALESCE", 1, Integer.MAX_VALUE);
        List<Node> operands = new ArrayList<>();
        for (SqlNode operand : call.getOperandList()) {
            operands.add(check(operand));
        }
        SqlType common = commonType(operands);
        if (common == null) {
            throw typeError(
                    call, "COALESCE arguments have incompatible types " + describeTypes(operands));
        }
        if (common.kind() == SqlType.Kind.OTHER) {
            throw typeError(call, "COALESCE of values of type " + common + " is not supported");
        }
        if (common.kind() == SqlType.Kind.NULL) {
            return new Literal(null, SqlType.NULL, text(call));
        }
        boolean nullable = operands.stream().allMatch(n -> n.type().nullable());
        List<Node> coerced = new ArrayList<>();
        for (Node operand : operands) {
            coerced.add(coerce(operand, common));
        }
        return new Call(Op.COALESCE, coerced, common.withNullable(nullable), text(call), null);
    }

    private Node cast(SqlCall call) {
        Node operand = check(call.operand(0));
        SqlDataTypeSpec spec = (SqlDataTypeSpec) call.operand(1);
        String typeName = spec.getTypeName().getSimple().toUpperCase(Locale.ROOT);
        int precision = -1;
        int scale = -1;
        if (spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec) {
            SqlBasicTypeNameSpec basic = (SqlBasicTypeNameSpec) spec.getTypeNameSpec();
            precision = basic.getPrecision();
            scale = basic.getScale();
        }
        SqlType target;
        Integer maxLength = null;
        switch (typeName) {
            case "INT":
            case "INTEGER":
                target = SqlType.of(SqlType.Kind.INT, false);
                break;
            case "BIGINT":
                target = SqlType.of(SqlType.Kind.BIGINT, false);
                break;
            case "FLOAT":
            case "REAL":
                target = SqlType.of(SqlType.Kind.FLOAT, false);
                break;
            case "DOUBLE":
                target = SqlType.of(SqlType.Kind.DOUBLE, false);
                break;
            case "BOOLEAN":
                target = SqlType.of(SqlType.Kind.BOOLEAN, false);
                break;
            case "VARCHAR":
            case "STRING":
                target = SqlType.of(SqlType.Kind.STRING, false);
                if (precision > 0) {
                    maxLength = precision;
                }
                break;
            case "DECIMAL":
            case "NUMERIC":
                int p = precision < 0 ? 10 : precision;
                int s = scale < 0 ? 0 : scale;
                if (p < 1 || p > SqlType.MAX_DECIMAL_PRECISION || s > p) {
                    throw typeError(
                            call,
                            "DECIMAL precision must be between 1 and 38 and the scale between 0"
                                    + " and the precision");
                }
                target = SqlType.decimal(p, s, false);
                break;
            default:
                throw unsupported(
                        call,
                        "CAST to "
                                + typeName
                                + " is not supported; the supported types are: "
                                + SUPPORTED_CASTS);
        }
        target = target.withNullable(operand.type().nullable());
        if (operand.type().kind() == SqlType.Kind.NULL) {
            return new Literal(null, target.withNullable(true), text(call));
        }
        if (!Casts.allowed(operand.type(), target)) {
            throw typeError(call, "cannot cast " + operand.type() + " to " + target);
        }
        if (operand.type().sameAs(target) && maxLength == null && !(operand instanceof FieldRef)) {
            return operand; // (a field is cast: its raw Avro value may be a Utf8 or an enum symbol)
        }
        return new Call(Op.CAST, List.of(operand), target, text(call), maxLength);
    }

    // ---- functions -------------------------------------------------------------------------

    private Node stringFunction(SqlCall call, Op op, String name) {
        arity(call, name, 1, 1);
        Node operand = stringOperand(call, check(call.operand(0)), name);
        return new Call(op, List.of(operand), operand.type(), text(call), null);
    }

    private Node charLength(SqlCall call, String name) {
        arity(call, name, 1, 1);
        Node operand = stringOperand(call, check(call.operand(0)), name);
        return new Call(
                Op.CHAR_LENGTH,
                List.of(operand),
                SqlType.of(SqlType.Kind.INT, operand.type().nullable()),
                text(call),
                null);
    }

    private Node concat(SqlCall call, String name) {
        arity(call, name, 1, Integer.MAX_VALUE);
        List<Node> operands = new ArrayList<>();
        boolean nullable = false;
        for (SqlNode operand : call.getOperandList()) {
            Node node = stringOperand(call, check(operand), name);
            nullable |= node.type().nullable();
            operands.add(node);
        }
        return new Call(
                Op.CONCAT, operands, SqlType.of(SqlType.Kind.STRING, nullable), text(call), null);
    }

    private Node trim(SqlCall call) {
        SqlTrimFunction.Flag flag =
                ((SqlLiteral) call.operand(0)).getValueAs(SqlTrimFunction.Flag.class);
        TrimMode mode = TrimMode.valueOf(flag.name());
        Node characters = stringOperand(call, check(call.operand(1)), "TRIM");
        Node string = stringOperand(call, check(call.operand(2)), "TRIM");
        SqlType type =
                SqlType.of(
                        SqlType.Kind.STRING,
                        characters.type().nullable() || string.type().nullable());
        return new Call(Op.TRIM, List.of(characters, string), type, text(call), mode);
    }

    private Node substring(SqlCall call) {
        arity(call, "SUBSTRING", 2, 3);
        List<Node> operands = new ArrayList<>();
        Node string = stringOperand(call, check(call.operand(0)), "SUBSTRING");
        operands.add(string);
        boolean nullable = string.type().nullable();
        for (int i = 1; i < call.operandCount(); i++) {
            Node position = check(call.operand(i));
            SqlType.Kind kind = position.type().kind();
            if (!kind.isExactInteger() && kind != SqlType.Kind.NULL) {
                throw typeError(
                        call,
                        "SUBSTRING needs integer positions, but '"
                                + position.text()
                                + "' is "
                                + position.type());
            }
            nullable |= position.type().nullable();
            operands.add(coerce(position, SqlType.of(SqlType.Kind.BIGINT, true)));
        }
        return new Call(
                Op.SUBSTRING,
                operands,
                SqlType.of(SqlType.Kind.STRING, nullable),
                text(call),
                null);
    }

    private Node abs(SqlCall call) {
        arity(call, "ABS", 1, 1);
        Node operand = numericOperand(call, check(call.operand(0)), "ABS");
        return new Call(Op.ABS, List.of(operand), operand.type(), text(call), null);
    }

    private Node round(SqlCall call) {
        arity(call, "ROUND", 1, 2);
        Node operand = numericOperand(call, check(call.operand(0)), "ROUND");
        int digits = 0;
        if (call.operandCount() == 2) {
            Node digitsNode = check(call.operand(1));
            if (!(digitsNode instanceof Literal)
                    || !(((Literal) digitsNode).value() instanceof Integer)) {
                throw unsupported(call, "the second argument of ROUND must be an integer literal");
            }
            digits = (Integer) ((Literal) digitsNode).value();
        }
        SqlType type = operand.type();
        if (type.kind() == SqlType.Kind.DECIMAL && digits < type.scale()) {
            int p = type.precision();
            int s = type.scale();
            type =
                    digits < 0
                            ? SqlType.decimal(
                                    Math.min(SqlType.MAX_DECIMAL_PRECISION, p - s + 1),
                                    0,
                                    type.nullable())
                            : SqlType.decimal(
                                    Math.min(SqlType.MAX_DECIMAL_PRECISION, p - s + digits + 1),
                                    digits,
                                    type.nullable());
        }
        return new Call(Op.ROUND, List.of(operand), type, text(call), digits);
    }

    private Node floorCeil(SqlCall call, Op op) {
        if (call.operandCount() != 1) {
            throw unsupported(call, op + "(x TO unit) is not supported");
        }
        Node operand = numericOperand(call, check(call.operand(0)), op.name());
        SqlType type = operand.type();
        if (type.kind() == SqlType.Kind.DECIMAL && type.scale() > 0) {
            type =
                    SqlType.decimal(
                            Math.min(
                                    SqlType.MAX_DECIMAL_PRECISION,
                                    type.precision() - type.scale() + 1),
                            0,
                            type.nullable());
        }
        return new Call(op, List.of(operand), type, text(call), null);
    }

    private Node stringOperand(SqlCall call, Node operand, String function) {
        SqlType.Kind kind = operand.type().kind();
        if (kind == SqlType.Kind.NULL) {
            return coerce(operand, SqlType.of(SqlType.Kind.STRING, true));
        }
        if (kind != SqlType.Kind.STRING) {
            throw typeError(
                    call,
                    function
                            + " needs strings, but '"
                            + operand.text()
                            + "' is "
                            + operand.type()
                            + " (use CAST("
                            + operand.text()
                            + " AS STRING))");
        }
        return operand;
    }

    private void arity(SqlCall call, String name, int min, int max) {
        int count = call.operandCount();
        if (count < min || count > max) {
            String expected =
                    min == max
                            ? min + (min == 1 ? " argument" : " arguments")
                            : max == Integer.MAX_VALUE
                                    ? "at least " + min + (min == 1 ? " argument" : " arguments")
                                    : min + " to " + max + " arguments";
            throw typeError(call, name + " takes " + expected + ", got " + count);
        }
    }

    // ---- types -----------------------------------------------------------------------------

    /**
     * The type all {@code nodes} can be converted to without loss of meaning, nullable if any of
     * them is; NULL-typed nodes fit any type. {@code null} when there is none.
     */
    static SqlType commonType(List<Node> nodes) {
        SqlType result = null;
        boolean nullable = false;
        for (Node node : nodes) {
            SqlType type = node.type();
            nullable |= type.nullable();
            if (type.kind() == SqlType.Kind.NULL) {
                continue;
            }
            result = result == null ? type : merge(result, type);
            if (result == null) {
                return null;
            }
        }
        return result == null ? SqlType.NULL : result.withNullable(nullable);
    }

    private static SqlType merge(SqlType a, SqlType b) {
        if (a.sameAs(b)) {
            return a;
        }
        if (a.kind().isNumeric() && b.kind().isNumeric()) {
            return widen(a, b);
        }
        return null;
    }

    /** The wider of two numeric types. */
    private static SqlType widen(SqlType a, SqlType b) {
        SqlType.Kind ka = a.kind();
        SqlType.Kind kb = b.kind();
        if (a.sameAs(b)) {
            return a;
        }
        if (ka == SqlType.Kind.DOUBLE || kb == SqlType.Kind.DOUBLE) {
            return SqlType.of(SqlType.Kind.DOUBLE, false);
        }
        if (ka == SqlType.Kind.FLOAT || kb == SqlType.Kind.FLOAT) {
            return ka == SqlType.Kind.DECIMAL || kb == SqlType.Kind.DECIMAL
                    ? SqlType.of(SqlType.Kind.DOUBLE, false)
                    : SqlType.of(SqlType.Kind.FLOAT, false);
        }
        if (ka == SqlType.Kind.DECIMAL || kb == SqlType.Kind.DECIMAL) {
            SqlType da = a.asDecimal();
            SqlType db = b.asDecimal();
            int scale = Math.max(da.scale(), db.scale());
            int integerDigits = Math.max(da.precision() - da.scale(), db.precision() - db.scale());
            int precision = Math.min(SqlType.MAX_DECIMAL_PRECISION, integerDigits + scale);
            return SqlType.decimal(precision, Math.min(scale, precision), false);
        }
        return SqlType.of(SqlType.Kind.BIGINT, false);
    }

    /**
     * {@code node} converted to {@code target} (keeping its own nullability): unchanged if it has
     * that type already, a converted literal for a constant, otherwise a CAST node.
     */
    static Node coerce(Node node, SqlType target) {
        if (node.type().sameAs(target)) {
            return node;
        }
        SqlType type = target.withNullable(node.type().nullable());
        if (node instanceof Literal) {
            Object value = ((Literal) node).value();
            if (value == null) {
                return new Literal(null, target.withNullable(true), node.text());
            }
            try {
                Object converted = Casts.converter(node.type(), type, null).convert(value);
                return new Literal(converted, type, node.text());
            } catch (ArithmeticException | IllegalArgumentException e) {
                // does not fit (only possible at DECIMAL's precision cap): fail per record
                return new Call(Op.CAST, List.of(node), type, node.text(), null);
            }
        }
        return new Call(Op.CAST, List.of(node), type, node.text(), null);
    }

    private static SqlType bool(boolean nullable) {
        return SqlType.of(SqlType.Kind.BOOLEAN, nullable);
    }

    private static String describeTypes(List<Node> nodes) {
        List<String> types = new ArrayList<>();
        for (Node node : nodes) {
            if (node.type().kind() != SqlType.Kind.NULL) {
                String name = node.type().toString();
                if (!types.contains(name)) {
                    types.add(name);
                }
            }
        }
        if (types.size() <= 1) {
            return String.join(" and ", types);
        }
        return String.join(", ", types.subList(0, types.size() - 1))
                + " and "
                + types.get(types.size() - 1);
    }

    // ---- errors and text -------------------------------------------------------------------

    private String text(SqlNode node) {
        return node == null ? expression.trim() : source.slice(node.getParserPosition());
    }

    private ExpressionException typeError(SqlNode at, String problem) {
        return error(Kind.TYPE, at, problem);
    }

    private ExpressionException unsupported(SqlNode at, String problem) {
        return error(Kind.UNSUPPORTED, at, problem);
    }

    private ExpressionException error(Kind kind, SqlNode at, String problem) {
        return error(kind, at, problem, "");
    }

    /**
     * An error about part of the expression: {@code <problem>: "<part>" in expression "<whole>"
     * <suffix>}, or {@code <problem> in expression "<whole>"<suffix>} when the part is the whole.
     */
    private ExpressionException error(Kind kind, SqlNode at, String problem, String suffix) {
        String part = text(at);
        String message;
        if (part.equals(expression.trim())) {
            message = problem + " in expression \"" + expression + "\"" + suffix;
        } else {
            message = problem + ": \"" + part + "\" in expression \"" + expression + "\"" + suffix;
        }
        return new ExpressionException(kind, message, expression, null, line(at), column(at));
    }

    private static int line(SqlNode node) {
        SqlParserPos pos = node == null ? null : node.getParserPosition();
        return pos == null || pos.getLineNum() < 1 ? -1 : pos.getLineNum();
    }

    private static int column(SqlNode node) {
        SqlParserPos pos = node == null ? null : node.getParserPosition();
        return pos == null || pos.getLineNum() < 1 ? -1 : pos.getColumnNum();
    }
}
