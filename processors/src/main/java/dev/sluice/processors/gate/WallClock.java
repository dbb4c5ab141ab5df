package dev.sluice.processors.gate;

import java.io.Serializable;

/**
 * The time the {@code freshness} rule measures lag against. Exists so tests can fix "now"; in a job
 * it is always {@link #SYSTEM}. Serializable because it travels to the operators inside the
 * function.
 */
@FunctionalInterface
interface WallClock extends Serializable {

    /** The system clock. */
    WallClock SYSTEM = System::currentTimeMillis;

    /** The current time in epoch milliseconds. */
    long nowMillis();
}
