package dev.sluice.controller.definition;

import dev.sluice.controller.validation.PipelineValidationException;
import java.time.Duration;
import java.util.Objects;

/**
 * The pipeline-wide {@code options}: how the platform runs the pipeline, never what it computes.
 * Every option has a default, so {@code "options"} may be left out entirely; the values are
 * validated as they are set, with errors pointing into {@code /options}.
 */
public final class PipelineOptions {
    /**
     * The delivery guarantee of a pipeline ({@code options.delivery}); outputs and dead letters are
     * written with it.
     */
    public enum Delivery implements JsonValued {
        /** Transactional writes committed with each checkpoint (the default). */
        EXACTLY_ONCE("exactly-once"),
        /** No transactions; records may repeat after a failure. */
        AT_LEAST_ONCE("at-least-once");

        private final String jsonValue;

        Delivery(String jsonValue) {
            this.jsonValue = jsonValue;
        }

        @Override
        public String jsonValue() {
            return jsonValue;
        }
    }

    /** How processors are laid out in Flink jobs ({@code options.isolation}). */
    public enum Isolation implements JsonValued {
        /** Stateless chains run fused in one job without Kafka hops (the default). */
        FUSED("fused"),
        /** Every processor runs separately, so one can fail or restart alone. */
        PER_PROCESSOR("per-processor");

        private final String jsonValue;

        Isolation(String jsonValue) {
            this.jsonValue = jsonValue;
        }

        @Override
        public String jsonValue() {
            return jsonValue;
        }
    }

    /** What a pipeline does when an upstream schema changes ({@code options.schemaEvolution}). */
    public enum SchemaEvolution implements JsonValued {
        /**
         * Take compatible changes automatically, upgrading the job from a savepoint (the default).
         */
        EVOLVE("evolve"),
        /** Keep running on the schema the pipeline was deployed with. */
        FREEZE("freeze"),
        /** Block the pipeline until someone redeploys it. */
        FAIL("fail");

        private final String jsonValue;

        SchemaEvolution(String jsonValue) {
            this.jsonValue = jsonValue;
        }

        @Override
        public String jsonValue() {
            return jsonValue;
        }
    }

    /** The largest parallelism a pipeline may ask for. */
    public static final int MAX_PARALLELISM = 64;

    /** The default checkpoint interval, {@code PT2S}. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    /** The shortest checkpoint interval accepted, 100 ms: shorter ones only add overhead. */
    public static final Duration MIN_CHECKPOINT_INTERVAL = Duration.ofMillis(100);

    static final String PARALLELISM_EXPECTED = "expected an integer from 1 to " + MAX_PARALLELISM;
    static final String DURATION_EXPECTED = "expected an ISO-8601 duration such as PT2S or PT0.5S";

    private static final PipelineOptions DEFAULTS = builder().build();

    private final Delivery delivery;
    private final int parallelism;
    private final Duration checkpointInterval;
    private final Isolation isolation;
    private final SchemaEvolution schemaEvolution;

    private PipelineOptions(Builder b) {
        this.delivery = b.delivery;
        this.parallelism = b.parallelism;
        this.checkpointInterval = b.checkpointInterval;
        this.isolation = b.isolation;
        this.schemaEvolution = b.schemaEvolution;
    }

    /** All defaults: exactly-once, parallelism 1, PT2S, fused, evolve. */
    public static PipelineOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The delivery guarantee; default {@link Delivery#EXACTLY_ONCE}. */
    public Delivery delivery() {
        return delivery;
    }

    /** Parallelism of the pipeline's Flink operators, 1 to {@value #MAX_PARALLELISM}; default 1. */
    public int parallelism() {
        return parallelism;
    }

    /** Checkpoint interval, at least 100 ms; default {@code PT2S}. */
    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /** Job layout; default {@link Isolation#FUSED}. */
    public Isolation isolation() {
        return isolation;
    }

    /** Reaction to upstream schema changes; default {@link SchemaEvolution#EVOLVE}. */
    public SchemaEvolution schemaEvolution() {
        return schemaEvolution;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PipelineOptions)) {
            return false;
        }
        PipelineOptions that = (PipelineOptions) o;
        return parallelism == that.parallelism
                && delivery == that.delivery
                && checkpointInterval.equals(that.checkpointInterval)
                && isolation == that.isolation
                && schemaEvolution == that.schemaEvolution;
    }

    @Override
    public int hashCode() {
        return Objects.hash(delivery, parallelism, checkpointInterval, isolation, schemaEvolution);
    }

    @Override
    public String toString() {
        return "PipelineOptions{delivery="
                + delivery.jsonValue()
                + ", parallelism="
                + parallelism
                + ", checkpointInterval="
                + checkpointInterval
                + ", isolation="
                + isolation.jsonValue()
                + ", schemaEvolution="
                + schemaEvolution.jsonValue()
                + "}";
    }

    /** Builds {@link PipelineOptions}; each setter validates its argument. */
    public static final class Builder {
        private Delivery delivery = Delivery.EXACTLY_ONCE;
        private int parallelism = 1;
        private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private Isolation isolation = Isolation.FUSED;
        private SchemaEvolution schemaEvolution = SchemaEvolution.EVOLVE;

        private Builder() {}

        public Builder delivery(Delivery delivery) {
            this.delivery = Objects.requireNonNull(delivery, "delivery");
            return this;
        }

        /**
         * @throws PipelineValidationException at {@code /options/parallelism} if not 1 to 64
         */
        public Builder parallelism(int parallelism) {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw PipelineValidationException.at(
                        "/options/parallelism", PARALLELISM_EXPECTED + ", got " + parallelism);
            }
            this.parallelism = parallelism;
            return this;
        }

        /**
         * @throws PipelineValidationException at {@code /options/checkpointInterval} if < 100 ms
         */
        public Builder checkpointInterval(Duration checkpointInterval) {
            Objects.requireNonNull(checkpointInterval, "checkpointInterval");
            if (checkpointInterval.compareTo(MIN_CHECKPOINT_INTERVAL) < 0) {
                throw PipelineValidationException.at(
                        "/options/checkpointInterval",
                        "must be at least PT0.1S (100 ms), got " + checkpointInterval);
            }
            this.checkpointInterval = checkpointInterval;
            return this;
        }

        public Builder isolation(Isolation isolation) {
            this.isolation = Objects.requireNonNull(isolation, "isolation");
            return this;
        }

        public Builder schemaEvolution(SchemaEvolution schemaEvolution) {
            this.schemaEvolution = Objects.requireNonNull(schemaEvolution, "schemaEvolution");
            return this;
        }

        public PipelineOptions build() {
            return new PipelineOptions(this);
        }
    }
}
