package dev.sluice.controller.definition;

import dev.sluice.controller.validation.PipelineValidationException;
import java.time.Duration;
import java.util.Objects;

/**
 * How often a failed batch run is tried again and how long to wait in between. {@code attempts}
 * counts every try of one run, the first included: {@code 1} means no retry.
 */
public final class RetryPolicy {
    /** The most attempts a run may have. */
    public static final int MAX_ATTEMPTS = 100;

    /** The wait between attempts when none is given, {@code PT30S}. */
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(30);

    static final String ATTEMPTS_EXPECTED = "expected an integer from 1 to " + MAX_ATTEMPTS;

    private final int attempts;
    private final Duration backoff;

    private RetryPolicy(int attempts, Duration backoff) {
        this.attempts = attempts;
        this.backoff = backoff;
    }

    /** A policy with the default backoff. */
    public static RetryPolicy of(int attempts) {
        return of(attempts, DEFAULT_BACKOFF);
    }

    /**
     * @throws PipelineValidationException at {@code /retry/attempts} or {@code /retry/backoff}
     */
    public static RetryPolicy of(int attempts, Duration backoff) {
        Objects.requireNonNull(backoff, "backoff");
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw PipelineValidationException.at(
                    "/retry/attempts", ATTEMPTS_EXPECTED + ", got " + attempts);
        }
        if (backoff.isNegative()) {
            throw PipelineValidationException.at(
                    "/retry/backoff", "must not be negative, got " + backoff);
        }
        return new RetryPolicy(attempts, backoff);
    }

    /** Tries per run, the first included; at least 1. */
    public int attempts() {
        return attempts;
    }

    /** The wait before each retry. */
    public Duration backoff() {
        return backoff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy
                && attempts == ((RetryPolicy) o).attempts
                && backoff.equals(((RetryPolicy) o).backoff);
    }

    @Override
    public int hashCode() {
        return Objects.hash(attempts, backoff);
    }

    @Override
    public String toString() {
        return "RetryPolicy{attempts=" + attempts + ", backoff=" + backoff + "}";
    }
}
