package dev.sluice.sdk;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Whether a stream is a sequence of facts or of changes to keyed rows (the contract's changelog
 * model). Processors declare the kind of their output so the planner can check what they feed.
 */
@PublicEvolving
public enum StreamKind {
    /** Each record is a new fact. */
    APPEND,
    /** Records are changes to rows identified by the key (CDC, upserts, join/aggregate outputs). */
    CHANGELOG
}
