package dev.sluice.sdk.factory;

import org.apache.flink.annotation.PublicEvolving;

/** The delivery guarantee a pipeline asked for ({@code options.delivery}). */
@PublicEvolving
public enum Delivery {
    EXACTLY_ONCE,
    AT_LEAST_ONCE
}
