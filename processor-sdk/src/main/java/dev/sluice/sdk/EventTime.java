package dev.sluice.sdk;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A stream's declared event time: the value field that holds it, how late records may arrive (the
 * watermark trails the largest time seen by {@code maxOutOfOrderness}), and after how long without
 * records a partition stops holding the watermark back. Windows in {@code sql} run on it.
 */
@PublicEvolving
public final class EventTime implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final Duration maxOutOfOrderness;
    private final Duration idleTimeout;

    public EventTime(String field, Duration maxOutOfOrderness, Duration idleTimeout) {
        this.field = Objects.requireNonNull(field, "field");
        this.maxOutOfOrderness = Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxOutOfOrderness.isNegative() || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("event time durations must not be negative");
        }
    }

    /** The value field that holds the event time (a timestamp or epoch milliseconds). */
    public String field() {
        return field;
    }

    /** How far the watermark trails the largest event time seen. */
    public Duration maxOutOfOrderness() {
        return maxOutOfOrderness;
    }

    /** After how long without records a source partition is idle. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EventTime)) {
            return false;
        }
        EventTime other = (EventTime) o;
        return field.equals(other.field)
                && maxOutOfOrderness.equals(other.maxOutOfOrderness)
                && idleTimeout.equals(other.idleTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, maxOutOfOrderness, idleTimeout);
    }

    @Override
    public String toString() {
        return field
                + " (max out of orderness "
                + maxOutOfOrderness
                + ", idle "
                + idleTimeout
                + ")";
    }
}
