package dev.sluice.processors.expression;

import org.apache.avro.generic.GenericRecord;

/**
 * One compiled node of an expression: computes its value for a record. Built once by {@link
 * EvaluatorBuilder}; evaluators are stateless (apart from caches) and safe to share.
 */
@FunctionalInterface
interface Evaluator {

    /** The node's value for {@code record}, {@code null} for SQL NULL. */
    Object eval(GenericRecord record);
}
