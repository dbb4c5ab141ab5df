/**
 * Sluice's SQL expression engine, used by the {@code filter} and {@code project} processors: SQL
 * expressions over the fields of an Avro record, compiled once and evaluated per record without
 * Flink's SQL planner.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * CompiledPredicate keep = ExpressionCompiler.compilePredicate("status = 'PAID' AND amount >= 10", schema);
 * if (keep.test(record)) { ... }
 *
 * CompiledProjection slim = ProjectionCompiler.compile(fields, schema, "ns.Slim");
 * GenericRecord out = slim.project(record);   // of slim.outputSchema()
 * }</pre>
 *
 * Compile errors are {@link dev.sluice.processors.expression.ExpressionException} (kind PARSE,
 * UNKNOWN_FIELD, TYPE or UNSUPPORTED; with the field, output field, line and column where known);
 * per-record failures are {@link dev.sluice.processors.expression.ExpressionEvaluationException},
 * for the caller to dead-letter that record. Compiled objects are immutable, thread-safe and
 * Serializable (serialization writes the text and schema JSON and recompiles on read).
 *
 * <h2>Supported SQL</h2>
 *
 * <ul>
 *   <li>Field references, case-sensitive; double quotes for names that are SQL keywords or have
 *       other case ({@code "value"}, {@code "Name"}); nested record fields as {@code a.b}.
 *   <li>Literals: integers (INT, BIGINT when larger, DECIMAL(p, 0) beyond that), numbers with a
 *       decimal point or exponent ({@code 1.5}, {@code 1e3}) are <b>DOUBLE</b> (not DECIMAL as in
 *       Flink), {@code 'strings'} ({@code ''} escapes a quote), TRUE, FALSE, UNKNOWN, NULL.
 *   <li>{@code AND OR NOT}; {@code = <> != < <= > >=}; {@code IS [NOT] NULL|TRUE|FALSE|UNKNOWN};
 *       {@code IS [NOT] DISTINCT FROM}; {@code [NOT] BETWEEN [SYMMETRIC]}; {@code [NOT] IN (list)};
 *       {@code [NOT] LIKE pattern [ESCAPE 'c']}; {@code CASE} (searched and simple).
 *   <li>{@code + - * / %} and unary minus; {@code ||}.
 *   <li>{@code CAST(x AS INT|INTEGER|BIGINT|FLOAT|REAL|DOUBLE|DECIMAL(p, s)|VARCHAR[(n)]|STRING|
 *       BOOLEAN)}.
 *   <li>Functions: {@code COALESCE, CONCAT, UPPER, LOWER, TRIM([BOTH|LEADING|TRAILING] [chars] FROM
 *       s), CHAR_LENGTH, CHARACTER_LENGTH, SUBSTRING(s FROM a [FOR b]), SUBSTRING(s, a[, b]), ABS,
 *       ROUND(x[, n]), FLOOR, CEIL/CEILING, MOD}.
 * </ul>
 *
 * Anything else (other functions, aggregates, subqueries, {@code ?} parameters, date/time literals,
 * SIMILAR TO, ...) is refused at compile time. The text must be a single expression: Calcite's
 * {@code parseExpression()} rejects statements, queries and {@code ;}.
 *
 * <h2>Types</h2>
 *
 * Avro {@code string} and {@code enum} are STRING (enums compare as their symbol); {@code int}
 * (also {@code date}) INT; {@code long} (also timestamps) BIGINT; {@code float}, {@code double},
 * {@code boolean} themselves; {@code bytes}/{@code fixed} with the {@code decimal} logical type
 * DECIMAL(p, s); {@code ["null", T]} is T, nullable. Other types (bytes, arrays, maps, records,
 * unions of several types) can only be tested with IS [NOT] NULL or passed through. Strings may be
 * {@code Utf8} or {@code String} in input records.
 *
 * <p>Operands widen INT → BIGINT → DECIMAL → FLOAT → DOUBLE (DECIMAL with FLOAT/DOUBLE gives
 * DOUBLE); strings only compare with strings, booleans with booleans. DECIMAL arithmetic derives
 * precision and scale as Flink SQL does (capped at 38). The result is nullable unless provably not
 * ({@code resultSchema()} is then the bare type, else {@code ["null", T]}). A bare field reference
 * keeps the field's own schema and raw value (enum, logical type, Utf8), made nullable if a record
 * on its path is nullable.
 *
 * <h2>Semantics</h2>
 *
 * <ul>
 *   <li>Three-valued logic: NULL operands make comparisons, arithmetic and functions NULL; {@code
 *       NULL AND FALSE} is FALSE, {@code NULL OR TRUE} is TRUE; {@code x IN (.., NULL)} is NULL
 *       when x is not found. A filter keeps a record only when its condition is TRUE. AND, OR, CASE
 *       and COALESCE evaluate lazily (left to right), so {@code qty <> 0 AND amount / qty > 1}
 *       never divides by zero.
 *   <li>Integer division truncates toward zero; {@code %}/MOD take the sign of the dividend.
 *       Division or modulo by zero fails for every numeric type (also DOUBLE). INT/BIGINT overflow
 *       fails, DECIMAL results that exceed their precision fail (Flink would wrap or return NULL;
 *       here the record is dead-lettered instead). FLOAT/DOUBLE follow IEEE (overflow to infinity).
 *   <li>CAST: numbers to INT/BIGINT truncate toward zero and fail when out of range; strings are
 *       trimmed, then parsed strictly (integers only for INT/BIGINT) and fail when malformed; to
 *       BOOLEAN from {@code true/t/yes/y/1} or {@code false/f/no/n/0} (any case) or from integers
 *       (non-zero is TRUE); BOOLEAN to string is {@code 'TRUE'}/{@code 'FALSE'}; {@code VARCHAR(n)}
 *       truncates to n characters; DECIMAL(p, s) rounds half up.
 *   <li>Strings compare by Unicode code point (as Flink, UTF-8 byte order); lengths and positions
 *       count characters (code points). SUBSTRING follows Flink: positions from 1, a negative start
 *       counts from the end, 0 acts as 1, results are clipped to the string (never an error). TRIM
 *       removes only the given characters (default: space). UPPER/LOWER are locale-neutral.
 *   <li>LIKE is case-sensitive, {@code %} and {@code _} are the wildcards, there is no escape
 *       character unless ESCAPE names one; {@code _} and {@code %} match line breaks too. A literal
 *       pattern is compiled once; a computed one whenever it changes.
 *   <li>ROUND rounds half away from zero (on the decimal representation of doubles); ROUND and
 *       FLOOR/CEIL keep the argument's type (DECIMAL: Flink's derived precision and scale).
 *   <li>Doubles: {@code 0.0 = -0.0}; NaN equals NaN and sorts above all numbers.
 * </ul>
 *
 * <h2>Output representation</h2>
 *
 * Values are Avro's generic representation: null, Boolean, Integer, Long, Float, Double, String (or
 * the field's own Utf8 / enum symbol when passed through), ByteBuffer for DECIMAL results (the
 * unscaled two's-complement bytes, scale as in {@code resultSchema()}) and raw values of
 * passed-through fields.
 *
 * <p>Records given to {@code evaluate}/{@code test}/{@code project} must have the schema the
 * expression was compiled against: fields are read by position. A record that does not match yields
 * an {@link dev.sluice.processors.expression.ExpressionEvaluationException} when detected.
 */
package dev.sluice.processors.expression;
