package dev.sluice.processors.expression;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.calcite.sql.SqlNode;

/**
 * Compiles the SQL expressions of {@code filter} conditions and {@code project} fields against an
 * input Avro record schema, without Flink's SQL planner.
 *
 * <p>It exists so that a pipeline's expressions are parsed and type-checked once, when the pipeline
 * is applied (with precise errors), and then evaluated per record by a tree of small pre-built
 * evaluators with field positions resolved up front. Compilation goes: Calcite's {@code
 * parseExpression()} (an expression only, never a statement) → {@link TypeChecker} (a typed tree,
 * rejecting anything outside the supported subset) → {@link EvaluatorBuilder} (closures).
 *
 * <p>See the package documentation for the supported SQL and its semantics.
 */
public final class ExpressionCompiler {

    private ExpressionCompiler() {}

    /**
     * Compiles {@code expression} against {@code inputRecordSchema}.
     *
     * @throws ExpressionException if the expression does not parse, names unknown fields, is
     *     ill-typed or uses something unsupported
     * @throws IllegalArgumentException if the schema is not a record schema
     */
    public static CompiledExpression compile(String expression, Schema inputRecordSchema) {
        Objects.requireNonNull(inputRecordSchema, "inputRecordSchema");
        if (inputRecordSchema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(
                    "expressions are compiled against a record schema, got "
                            + inputRecordSchema.getType());
        }
        SqlNode parsed = ExpressionParser.parse(expression);
        TypeChecker checker = new TypeChecker(expression, inputRecordSchema);
        Node root = checker.check(parsed);
        Evaluator evaluator = new EvaluatorBuilder(expression).buildRoot(root);
        Schema resultSchema =
                root instanceof Node.FieldRef
                        ? ((Node.FieldRef) root).passThroughSchema()
                        : AvroTypes.avroSchema(root.type());
        return new CompiledExpression(
                expression,
                inputRecordSchema,
                root.type(),
                resultSchema,
                checker.referencedFields(),
                evaluator);
    }

    /**
     * Compiles a {@code filter} condition: like {@link #compile} followed by {@link
     * CompiledExpression#asPredicate()}.
     *
     * @throws ExpressionException also (of kind TYPE) if the condition is not boolean
     */
    public static CompiledPredicate compilePredicate(String condition, Schema inputRecordSchema) {
        return compile(condition, inputRecordSchema).asPredicate();
    }
}
