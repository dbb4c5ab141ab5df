package dev.sluice.sdk;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A record a processor could not handle, with everything needed to understand and replay it.
 *
 * <p>Dead letters never stop a job: operators emit them to the {@link DeadLetters#TAG} side output,
 * and the platform writes them to the pipeline's dead-letter topic {@code sluice.dlq.<pipeline>}.
 * The fields mirror that topic's Avro schema.
 *
 * <p>This is a Flink POJO (public no-arg constructor and fields) on purpose: dead letters from
 * several operators are unioned before their sink, which crosses a network edge, and the POJO
 * serializer is both fast and evolvable.
 */
@PublicEvolving
public class DeadLetter {
    public byte[] originalKey;
    public byte[] originalValue;
    public String sourceTopic;
    public Integer sourcePartition;
    public Long sourceOffset;
    public String processorId;
    public String errorClass;
    public String errorMessage;
    public long failedAtMs;
    public int attempt;

    public DeadLetter() {}

    /** A dead letter for {@code record}, which {@code processorId} failed on with {@code error}. */
    public static DeadLetter of(SluiceRecord record, String processorId, Throwable error) {
        DeadLetter dl = new DeadLetter();
        dl.originalKey = record.sourceKey();
        dl.originalValue = record.sourceValue();
        if (record.hasSource()) {
            dl.sourceTopic = record.sourceTopic();
            dl.sourcePartition = record.sourcePartition();
            dl.sourceOffset = record.sourceOffset();
        }
        dl.processorId = processorId;
        dl.errorClass = error.getClass().getName();
        dl.errorMessage = error.getMessage() == null ? error.toString() : error.getMessage();
        dl.failedAtMs = System.currentTimeMillis();
        dl.attempt = record.replays() + 1;
        return dl;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter that = (DeadLetter) o;
        return failedAtMs == that.failedAtMs
                && attempt == that.attempt
                && Arrays.equals(originalKey, that.originalKey)
                && Arrays.equals(originalValue, that.originalValue)
                && Objects.equals(sourceTopic, that.sourceTopic)
                && Objects.equals(sourcePartition, that.sourcePartition)
                && Objects.equals(sourceOffset, that.sourceOffset)
                && Objects.equals(processorId, that.processorId)
                && Objects.equals(errorClass, that.errorClass)
                && Objects.equals(errorMessage, that.errorMessage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(processorId, sourceTopic, sourcePartition, sourceOffset, errorMessage);
    }

    @Override
    public String toString() {
        return "DeadLetter{processor="
                + processorId
                + ", source="
                + sourceTopic
                + "/"
                + sourcePartition
                + "@"
                + sourceOffset
                + ", "
                + errorClass
                + ": "
                + errorMessage
                + "}";
    }
}
