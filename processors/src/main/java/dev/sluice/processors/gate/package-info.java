/**
 * The {@code quality-gate} processor ({@link
 * dev.sluice.processors.gate.QualityGateProcessorFactory}): data-quality rules that stop bad
 * records at a named point of a pipeline.
 *
 * <h2>Config</h2>
 *
 * <pre>{@code
 * {"rules": [
 *   {"rule": "not-null",  "field": "title"},
 *   {"rule": "range",     "field": "amount", "min": 0, "max": 10000},
 *   {"rule": "regex",     "field": "email", "pattern": "[^@]+@[^@]+", "action": "alert"},
 *   {"rule": "enum",      "field": "status", "values": ["NEW", "PAID"]},
 *   {"rule": "max-bytes", "value": 1048576},
 *   {"rule": "freshness", "field": "updated_at", "maxLagMs": 3600000},
 *   {"rule": "freshness", "maxLagMs": 3600000},
 *   {"rule": "schema"}
 * ]}
 * }</pre>
 *
 * <ul>
 *   <li>{@code action}: {@code dead-letter} (default) or {@code alert}; allowed on every rule.
 *   <li>{@code not-null}: {@code field} (any type) has a value.
 *   <li>{@code range}: {@code field} (int, long, float or double, nullable or not) lies within
 *       {@code min} and/or {@code max} (numbers, inclusive; at least one). Int and long fields
 *       compare exactly (a bound of 0.5 on a long field means 1); NaN fails.
 *   <li>{@code regex}: {@code field} (string) matches {@code pattern} (a {@link
 *       java.util.regex.Pattern}) as a whole ({@code matches()}, not {@code find()}).
 *   <li>{@code enum}: {@code field} (string or enum) is one of {@code values} (a non-empty array of
 *       strings; for an enum field each must be one of its symbols).
 *   <li>{@code max-bytes}: the record is at most {@code value} bytes: the value bytes as read from
 *       the source when the record has them ({@code SluiceRecord.sourceValue()}; note: after a
 *       processor that changed the value this is still the original's size), otherwise the Avro
 *       binary encoding of the value. No {@code field}.
 *   <li>{@code freshness}: the event time is at least {@code now - maxLagMs} (a positive integer);
 *       the event time is {@code field} (long or timestamp-millis, epoch milliseconds) or, without
 *       {@code field}, the record timestamp ({@code SluiceRecord.timestamp()}, the Kafka record
 *       timestamp for Kafka sources). Times in the future pass.
 *   <li>{@code schema}: the value conforms to the input schema ({@code GenericData.validate(schema,
 *       value)}). No {@code field}.
 * </ul>
 *
 * A {@code null} field value fails {@code not-null}, {@code range}, {@code regex}, {@code enum} and
 * {@code freshness} with a field: a missing value cannot satisfy a bound, a pattern or a list.
 * There is no "null or ..." form: to let nulls through, filter them out before the gate or make the
 * rule an {@code alert}. Tombstones (records without a value) are not checked and pass.
 *
 * <p>Config errors are refused at plan time with the JSON pointer of the rule or key at fault, e.g.
 * {@code /processors/0/config/rules/1/pattern}: unknown rule kinds and keys (listing the allowed
 * ones), missing or mistyped arguments, unknown fields (listing the input's fields), fields of a
 * type the rule cannot check, invalid regular expressions, bad actions.
 *
 * <h2>At run time</h2>
 *
 * Rules are checked in order. The first failing rule whose action is {@code dead-letter} sends the
 * record to the pipeline's dead-letter topic with {@code error_class} {@link
 * dev.sluice.processors.gate.QualityRuleViolation} and a message such as {@code rule 1 (range)
 * failed: field 'amount' = -5.0 is below min 0}; later rules are not checked. A failing {@code
 * alert} rule is counted and the record goes on. Each rule counts its failures (both actions) in
 * the counter {@code rule_<index>_<rule with '-' as '_'>_failed} of the operator's metric group
 * {@code qualityGate}, e.g. {@code rule_0_not_null_failed}.
 */
package dev.sluice.processors.gate;
