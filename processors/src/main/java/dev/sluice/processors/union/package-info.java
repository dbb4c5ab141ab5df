/**
 * The {@code union} processor: merges two or more inputs of one kind into one stream whose schema
 * unifies theirs. {@link dev.sluice.processors.union.UnionProcessorFactory} is the entry point; the
 * unification rules live in {@code UnionSchemas}, the per-input alignment in {@code
 * UnionAlignFunction}.
 */
package dev.sluice.processors.union;
